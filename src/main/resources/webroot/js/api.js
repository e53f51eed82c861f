// The API client: one place that knows about the token, errors, downloads and the event stream.

const TOKEN_KEY = 'cgscanner.token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function headers(extra = {}) {
  const h = { ...extra };
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

async function failure(response) {
  let code = 'http_' + response.status;
  let message = `HTTP ${response.status}`;
  try {
    const body = await response.json();
    if (body && body.error) {
      code = String(body.error.code || code);
      message = String(body.error.message || message);
    }
  } catch (e) { /* not JSON: keep the status line */ }
  return new ApiError(response.status, code, message);
}

export async function getJson(path, signal) {
  const response = await fetch(path, { headers: headers({ Accept: 'application/json' }), signal });
  if (!response.ok) throw await failure(response);
  return response.json();
}

export async function send(method, path, body, contentType) {
  const response = await fetch(path, {
    method,
    headers: headers(contentType ? { 'Content-Type': contentType } : {}),
    body,
  });
  if (!response.ok) throw await failure(response);
  return response.status === 204 ? null : response.json();
}

/** Saves a file from an authenticated route: links cannot carry the Authorization header. */
export async function download(path, filename) {
  const response = await fetch(path, { headers: headers() });
  if (!response.ok) throw await failure(response);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * Follows a scan's Server-Sent Events with fetch and a streaming body (EventSource cannot send the
 * Authorization header). After a drop it reconnects with Last-Event-ID, so nothing is received twice;
 * it stops on the `done` event, on 204 (the stream had already ended) or when `signal` aborts.
 * Handlers: onEvent(type, data, id), onState(text).
 */
export async function followEvents(path, { signal, onEvent, onState }) {
  let lastId = 0;
  let retryMs = 3000;
  let finished = false;
  while (!finished && !signal.aborted) {
    try {
      const h = headers({ Accept: 'text/event-stream' });
      if (lastId > 0) h['Last-Event-ID'] = String(lastId);
      onState(lastId > 0 ? 'reconnecting…' : 'connecting…');
      const response = await fetch(path, { headers: h, signal, cache: 'no-store' });
      if (response.status === 204) { finished = true; break; }
      if (!response.ok) throw await failure(response);
      onState('live');
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = parseBlock(block);
          if (event.retry) retryMs = event.retry;
          if (event.id) lastId = event.id;
          if (event.data === null) continue;
          let data;
          try { data = JSON.parse(event.data); } catch (e) { continue; }
          onEvent(event.type, data, event.id);
          if (event.type === 'done') finished = true;
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof ApiError && err.status < 500 && err.status !== 429) {
        onState(err.message);
        throw err;
      }
    }
    if (!finished && !signal.aborted) {
      onState('connection lost, retrying…');
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
  if (!signal.aborted) onState('complete');
}

function parseBlock(block) {
  const event = { type: 'message', data: null, id: 0, retry: 0 };
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event.type = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && /^\d+$/.test(value)) event.id = Number(value);
    else if (field === 'retry' && /^\d+$/.test(value)) event.retry = Number(value);
  }
  if (data.length) event.data = data.join('\n');
  return event;
}
