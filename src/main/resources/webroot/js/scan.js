import { download, followEvents, send, token } from './api.js';
import { $, el, SEVERITIES, notify, progressParts, setText, severityBadge, statusBadge } from './dom.js';

const FINAL = new Set(['completed', 'failed', 'cancelled']);
const hidden = new Set();
let current = null;

/** Opens the page of one scan: findings arrive live from its event stream. */
export function openScan(id) {
  closeScan();
  const controller = new AbortController();
  current = { id, controller, findings: new Map() };
  $('findings').replaceChildren();
  $('rejected').replaceChildren();
  $('rejected-box').hidden = true;
  setText('rejected-count', '');
  $('findings-empty').hidden = false;
  setText('findings-count', '');
  setText('scan-title', 'Scan');
  $('scan-status').replaceChildren();
  $('scan-error').hidden = true;
  $('scan-progress').value = 0;
  setText('scan-counts', '');
  setLinks(id);
  const base = `/api/v1/scans/${encodeURIComponent(id)}`;
  const scan = current;
  followEvents(`${base}/events`, {
    signal: controller.signal,
    onState: (text) => { if (current === scan) setText('stream-state', `stream: ${text}`); },
    onEvent: (type, data) => { if (current === scan) onEvent(type, data); },
  }).catch((err) => notify(`Could not follow the scan: ${err.message}`, 'error'));
}

export function closeScan() {
  if (current) current.controller.abort();
  current = null;
}

export function initScanPage() {
  const filter = $('severity-filter');
  filter.replaceChildren(el('legend', {}, 'Show'), ...SEVERITIES.map((s) => el('label', {},
    el('input', { type: 'checkbox', checked: true, value: s, class: 'sev-toggle' }), ' ', severityBadge(s))));
  filter.addEventListener('change', (e) => {
    if (e.target.checked) hidden.delete(e.target.value);
    else hidden.add(e.target.value);
    applyFilter();
  });
  $('cancel-scan').addEventListener('click', async () => {
    if (!current) return;
    try {
      await send('DELETE', `/api/v1/scans/${encodeURIComponent(current.id)}`);
    } catch (err) {
      notify(`Cancel failed: ${err.message}`, 'error');
    }
  });
}

function setLinks(id) {
  const base = `/api/v1/scans/${encodeURIComponent(id)}`;
  link($('link-sarif'), `${base}/report.sarif`, `scan-${id}.sarif`);
  link($('link-json'), `${base}/findings`, `scan-${id}-findings.json`);
}

function link(a, href, filename) {
  a.href = href;
  a.download = filename;
  a.onclick = (e) => {
    if (!token()) return;
    e.preventDefault();
    download(href, filename).catch((err) => notify(`Download failed: ${err.message}`, 'error'));
  };
}

function onEvent(type, data) {
  if (type === 'finding') addFinding(data);
  else if (type === 'progress') showProgress(data);
  else if (type === 'status' || type === 'done') showScan(data);
}

function showScan(scan) {
  const source = scan.source || {};
  setText('scan-title', source.name ? `Scan of ${source.name}` : `Scan ${scan.id}`);
  $('scan-status').replaceChildren(statusBadge(scan.status));
  current.verification = scan.verification;
  showProgress(scan.progress || {});
  $('cancel-scan').hidden = FINAL.has(scan.status);
  const error = $('scan-error');
  error.hidden = !scan.error;
  error.textContent = scan.error ? `${scan.error.code}: ${scan.error.message}` : '';
}

function showProgress(p) {
  const { total, done } = progressParts(p);
  const bar = $('scan-progress');
  bar.max = Math.max(total, 1);
  bar.value = total ? done : 0;
  const parts = [`${p.filesScanned || 0} of ${total} files scanned`];
  if (p.filesFailed) parts.push(`${p.filesFailed} failed`);
  if (p.filesSkipped) parts.push(`${p.filesSkipped} not selected`);
  const v = current && current.verification;
  if (v && v.status !== 'off' && v.status !== 'skipped') {
    parts.push(`verification ${v.status}: ${v.rejected} rejected${v.failed ? `, ${v.failed} not verified` : ''}`);
  }
  setText('scan-counts', parts.join(' · '));
}

function addFinding(f) {
  if (!f || current.findings.has(f.id)) return;
  current.findings.set(f.id, f);
  const severity = SEVERITIES.includes(f.severity) ? f.severity : 'info';
  const where = f.startLine ? `${f.path}:${f.startLine}` : String(f.path || '');
  const rejected = f.state === 'rejected';
  const item = el('details', { class: `finding finding-${severity}`, dataset: { severity } },
    el('summary', {},
      severityBadge(severity),
      el('span', { class: 'title' }, f.title || '(untitled)'),
      el('code', { class: 'where' }, where),
      verdictBadge(f.verification)),
    el('div', { class: 'finding-body' },
      verification(f.verification),
      field('Description', f.description),
      field('Recommendation', f.recommendation),
      f.snippet ? el('pre', { class: 'snippet' }, f.snippet) : null,
      el('p', { class: 'muted' }, [f.ruleId, f.cwe, f.confidence && `confidence ${f.confidence}`, f.source]
        .filter(Boolean).join(' · '))));
  if (rejected) {
    // Set apart: what the verification pass found not to hold is kept, but is not a finding to act on.
    $('rejected').append(item);
    $('rejected-box').hidden = false;
    setText('rejected-count', `(${$('rejected').children.length})`);
    return;
  }
  item.hidden = hidden.has(severity);
  // Most severe first; within a severity, in arrival order.
  const rank = SEVERITIES.indexOf(severity);
  const list = $('findings');
  const after = [...list.children].find((c) => SEVERITIES.indexOf(c.dataset.severity) > rank);
  list.insertBefore(item, after || null);
  $('findings-empty').hidden = true;
  setText('findings-count', `(${list.children.length})`);
}

function verdictBadge(v) {
  if (!v) return null;
  const label = v.failure ? 'not verified' : v.verdict;
  return el('span', { class: `verdict verdict-${v.failure ? 'failed' : v.verdict}` }, label);
}

function verification(v) {
  if (!v) return null;
  if (v.failure) return field('Verification', `Not verified (${v.failure}): reported as the review found it.`);
  const parts = [`${v.verdict}${v.confidence ? ` (${v.confidence}/10)` : ''}`];
  if (v.originalSeverity) parts.push(`severity lowered from ${v.originalSeverity}`);
  return field('Verification', `${parts.join(', ')}. ${v.justification || ''}`);
}

function field(label, text) {
  return text ? el('div', { class: 'field' }, el('h4', {}, label), el('p', {}, text)) : null;
}

function applyFilter() {
  for (const item of $('findings').children) item.hidden = hidden.has(item.dataset.severity);
}
