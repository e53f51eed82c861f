import { getJson } from './api.js';
import { $, el, setText } from './dom.js';

/** Redraws the cluster panel from GET /api/v1/cluster. */
export async function refreshCluster() {
  const body = await getJson('/api/v1/cluster');
  const members = Array.isArray(body.members) ? body.members : [];
  $('cluster').replaceChildren(...members.map(member));
  setText('cluster-state', `${members.length} worker${members.length === 1 ? '' : 's'} · updated ${new Date().toLocaleTimeString()}`);
}

function member(m) {
  const keys = Array.isArray(m.keys) ? m.keys : [];
  return el('div', { class: 'member' },
    el('div', { class: 'member-head' },
      el('code', { title: m.nodeId || '' }, shortId(m.nodeId)),
      el('span', { class: 'muted' }, ` ${m.address || ''}`)),
    el('div', { class: 'member-load' }, `${m.running ?? 0} running · ${m.queued ?? 0} queued`),
    el('table', { class: 'keys' },
      el('thead', {}, el('tr', {}, el('th', {}, 'key'), el('th', {}, 'provider'), el('th', {}, 'state'), el('th', {}, 'in flight'),
        el('th', {}, 'requests'), el('th', {}, '429'), el('th', {}, 'errors'))),
      el('tbody', {}, keys.map(key))));
}

function key(k) {
  const state = /^[a-z]+$/.test(k.state) ? k.state : 'unknown';
  return el('tr', { class: 'key', dataset: { key: k.key || '' } },
    el('td', {}, k.key || ''),
    el('td', { title: k.dialect || '' }, provider(k)),
    el('td', {}, el('span', { class: `kstate kstate-${state}` }, state)),
    el('td', {}, `${k.inFlight ?? 0}/${k.capacity ?? 0}`),
    el('td', {}, String(k.requests ?? 0)),
    el('td', {}, String(k.rateLimited ?? 0)),
    el('td', {}, String((k.serverErrors ?? 0) + (k.timeouts ?? 0) + (k.invalid ?? 0))));
}

/** Model and endpoint host as text: "gpt-4o-mini @ contoso.openai.azure.com", and the fallback it works around. */
function provider(k) {
  if (!k.model) return '';
  return `${k.model} @ ${k.provider || '?'}${k.degraded ? ` (${k.degraded})` : ''}`;
}

function shortId(id) {
  return id ? String(id).slice(0, 8) : '?';
}
