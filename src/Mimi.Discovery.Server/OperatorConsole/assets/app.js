// The console shell: the session, the navigation, and a hash route per page. Every figure comes from the API.
import { h, page } from './dom.js';
import { ApiError, loadSession, signOut } from './api.js';
import { providersPage, providerPage } from './pages/providers.js';
import { issuancePage } from './pages/issuance.js';
import { logPage } from './pages/log.js';
import { trafficPage } from './pages/traffic.js';
import { quotasPage } from './pages/quotas.js';
import { outboxPage } from './pages/outbox.js';
import { abusePage } from './pages/abuse.js';
import { auditPage } from './pages/audit.js';

const routes = [
  ['providers', 'Providers', providersPage],
  ['issuance', 'Issuance', issuancePage],
  ['log', 'Log', logPage],
  ['traffic', 'Lookup traffic', trafficPage],
  ['quotas', 'Quotas', quotasPage],
  ['outbox', 'Outbox', outboxPage],
  ['abuse', 'Abuse reports', abusePage],
  ['audit', 'Audit trail', auditPage],
];

function parseHash() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(query) };
}

async function render() {
  const { parts, params } = parseHash();
  const name = parts[0] ?? 'providers';
  for (const link of document.querySelectorAll('#nav a')) {
    link.toggleAttribute('aria-current', link.dataset.route === name);
  }
  try {
    if (name === 'providers' && parts[1]) await providerPage(parts[1]);
    else await (routes.find(([route]) => route === name)?.[2] ?? providersPage)(params);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signedOut();
    page('Something went wrong', h('p', { class: 'error' }, e.message));
  }
}

function signedOut() {
  document.getElementById('nav').replaceChildren();
  document.getElementById('who').textContent = '';
  document.getElementById('sign-out').hidden = true;
  page('Signed out',
    h('p', {}, 'There is no console session in this browser, or it has ended.'),
    h('p', {}, 'Run ', h('code', {}, 'mimi console'), ' with the operator key for a new one-time sign-in link.'));
}

async function start() {
  const session = await loadSession();
  if (!session) return signedOut();
  document.getElementById('nav').replaceChildren(
    ...routes.map(([route, title]) => h('a', { href: `#/${route}`, 'data-route': route }, title)));
  document.getElementById('who').textContent = `${session.operator} · until ${new Date(session.expires).toLocaleTimeString()}`;
  const button = document.getElementById('sign-out');
  button.hidden = false;
  button.addEventListener('click', async () => {
    await signOut();
    signedOut();
  });
  window.addEventListener('hashchange', render);
  await render();
}

start().catch(e => page('Something went wrong', h('p', { class: 'error' }, e.message)));
