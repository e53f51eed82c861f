import { getJson, send } from './api.js';
import { $, el, SEVERITIES, formatTime, notify, progressParts, setText, severityBadge, statusBadge } from './dom.js';

const ARCHIVE_TYPES = [
  [/\.zip$/i, 'application/zip'],
  [/\.(tar\.gz|tgz)$/i, 'application/gzip'],
];

export function initSubmit(onSubmitted) {
  const form = $('submit-form');
  form.addEventListener('change', (e) => {
    if (e.target.name !== 'kind') return;
    const git = form.elements.kind.value === 'git';
    $('git-fields').hidden = !git;
    $('archive-fields').hidden = git;
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = $('submit-btn');
    button.disabled = true;
    setText('submit-result', 'Submitting…');
    try {
      const scan = await submit(form.elements.kind.value);
      setText('submit-result', `Scan ${scan.id} accepted.`);
      onSubmitted(scan);
    } catch (err) {
      setText('submit-result', '');
      notify(`Submit failed: ${err.message}`, 'error');
    } finally {
      button.disabled = false;
    }
  });
}

async function submit(kind) {
  const options = {};
  const min = $('min-severity').value;
  if (min) options.minSeverity = min;
  if (kind === 'git') {
    const url = $('git-url').value.trim();
    if (!url) throw new Error('enter a git URL');
    const git = { url };
    const ref = $('git-ref').value.trim();
    if (ref) git.ref = ref;
    return send('POST', '/api/v1/scans', JSON.stringify({ source: { git }, options }), 'application/json');
  }
  const file = $('archive').files[0];
  if (!file) throw new Error('choose a .zip or .tar.gz file');
  const match = ARCHIVE_TYPES.find(([re]) => re.test(file.name));
  const type = match ? match[1] : file.type;
  if (!type) throw new Error('the archive must be a .zip or .tar.gz');
  const query = Object.keys(options).length ? `?options=${encodeURIComponent(JSON.stringify(options))}` : '';
  return send('POST', `/api/v1/scans${query}`, file, type);
}

/** Redraws the scans table from GET /api/v1/scans. */
export async function refreshScans() {
  const body = await getJson('/api/v1/scans');
  const scans = Array.isArray(body.scans) ? body.scans : [];
  $('scan-rows').replaceChildren(...scans.map(row));
  $('scans-empty').hidden = scans.length > 0;
}

function row(scan) {
  const { total, done } = progressParts(scan.progress);
  const href = `#/scans/${encodeURIComponent(scan.id)}`;
  const source = scan.source || {};
  const bySeverity = scan.findingsBySeverity || {};
  const chips = SEVERITIES.filter((s) => bySeverity[s] > 0).map((s) => severityBadge(s, bySeverity[s]));
  return el('tr', { class: 'scan-row', dataset: { id: scan.id } },
    el('td', {}, statusBadge(scan.status)),
    el('td', {}, el('a', { href }, source.name || scan.id), el('span', { class: 'muted' }, ` ${source.kind || ''}`)),
    el('td', {}, formatTime(scan.createdAt)),
    el('td', {}, el('progress', { max: Math.max(total, 1), value: total ? done : 0 }), ` ${done}/${total}`),
    el('td', {}, chips.length ? chips : el('span', { class: 'muted' }, 'none')));
}
