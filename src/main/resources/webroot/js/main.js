import { ApiError, setToken, token } from './api.js';
import { refreshCluster } from './cluster.js';
import { $, notify, setText } from './dom.js';
import { initSubmit, refreshScans } from './home.js';
import { closeScan, initScanPage, openScan } from './scan.js';

const POLL_MS = 2000;

function route() {
  const match = /^#\/scans\/([A-Za-z0-9_-]+)$/.exec(location.hash);
  $('home-view').hidden = Boolean(match);
  $('scan-view').hidden = !match;
  if (match) {
    openScan(match[1]);
  } else {
    closeScan();
    // The table may be up to one poll old; coming back to it should not show a finished scan as running.
    refreshScans().catch(() => {});
  }
}

function showTokenState() {
  setText('token-state', token() ? 'token set' : 'no token');
}

/** Polls while the page is open; a 401 asks for the token once instead of flooding notices. */
function poll(refresh, label) {
  let warned = false;
  const tick = async () => {
    try {
      await refresh();
      if (warned) $('notice').hidden = true;
      warned = false;
    } catch (err) {
      if (!warned) {
        warned = true;
        notify(err instanceof ApiError && err.status === 401
          ? 'This server needs an API token: enter it above.'
          : `Could not load ${label}: ${err.message}`, 'error');
      }
    }
    setTimeout(tick, POLL_MS);
  };
  tick();
}

document.addEventListener('DOMContentLoaded', () => {
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    setToken($('token').value.trim());
    $('token').value = '';
    $('notice').hidden = true;
    showTokenState();
    route();
    refreshScans().catch(() => {});
    refreshCluster().catch(() => {});
  });
  $('token-clear').addEventListener('click', () => {
    setToken('');
    showTokenState();
  });
  initSubmit((scan) => { location.hash = `#/scans/${scan.id}`; refreshScans().catch(() => {}); });
  initScanPage();
  window.addEventListener('hashchange', route);
  showTokenState();
  route();
  poll(refreshScans, 'the scans');
  poll(refreshCluster, 'the cluster');
});
