// Every piece of data reaches the page as a text node: nothing here parses HTML.

/** Creates an element; string children become text nodes, attrs are set as properties or attributes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name in node && typeof value !== 'string') node[name] = value;
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function $(id) {
  return document.getElementById(id);
}

export function setText(id, text) {
  $(id).textContent = text ?? '';
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

export function severityBadge(severity, count) {
  const label = count === undefined ? severity : `${count} ${severity}`;
  return el('span', { class: `sev sev-${SEVERITIES.includes(severity) ? severity : 'info'}` }, label);
}

export function statusBadge(status) {
  return el('span', { class: `status status-${/^[a-z]+$/.test(status) ? status : 'unknown'}` }, status);
}

export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function progressParts(p = {}) {
  const total = p.filesTotal || 0;
  const done = (p.filesScanned || 0) + (p.filesFailed || 0);
  return { total, done };
}

/** Shows a message for a few seconds (or until replaced). */
export function notify(message, kind = 'info') {
  const box = $('notice');
  box.textContent = message;
  box.className = `notice notice-${kind}`;
  box.hidden = false;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { box.hidden = true; }, 6000);
}
