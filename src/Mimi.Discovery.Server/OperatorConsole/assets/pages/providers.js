// Providers: the list, and one provider with its keys, suspended or reinstated behind a confirmation.
import { h, page, table, time } from '../dom.js';
import { get, post } from '../api.js';
import { confirmAct } from '../confirm.js';

const status = p => h('span', { class: `status ${p.status}` }, p.status);

export async function providersPage() {
  const providers = await get('/v1/providers');
  page('Providers',
    h('p', { class: 'muted' }, `${providers.length} enrolled; ${providers.filter(p => p.status !== 'active').length} suspended.`),
    table([
      ['Domain', p => h('a', { href: `#/providers/${encodeURIComponent(p.domain)}` }, p.domain)],
      ['Name', p => p.displayName],
      ['Status', status],
      ['Trusted', p => (p.trusted ? 'yes' : 'no')],
      ['Active keys', p => p.keys.filter(k => !k.retiredAt).length],
      ['Enrolled', p => time(p.createdAt)],
    ], providers, 'No provider is enrolled yet.'));
}

export async function providerPage(domain) {
  const p = await get(`/v1/providers/${encodeURIComponent(domain)}`);
  const suspended = p.status !== 'active';
  const act = suspended ? 'Reinstate' : 'Suspend';
  const button = h('button', {
    type: 'button',
    id: 'provider-act',
    class: suspended ? '' : 'danger',
    onclick: async () => {
      const text = suspended
        ? `Reinstate ${p.domain}? It may call the service again (with new tokens).`
        : `Suspend ${p.domain}? Its calls and every token it holds are refused at once.`;
      if (!(await confirmAct(text, act))) return;
      button.disabled = true;
      await post(`/v1/providers/${encodeURIComponent(p.domain)}/${suspended ? 'reinstate' : 'suspend'}`);
      await providerPage(domain);
    },
  }, act);
  page(p.domain,
    h('p', {}, h('a', { href: '#/providers' }, '← all providers')),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Status'), h('dd', { id: 'provider-status' }, status(p)),
      h('dt', {}, 'Name'), h('dd', {}, p.displayName),
      h('dt', {}, 'Contact'), h('dd', {}, p.contact),
      h('dt', {}, 'Trusted attestations'), h('dd', {}, p.trusted ? 'yes' : 'no'),
      h('dt', {}, 'Enrolled'), h('dd', {}, time(p.createdAt)),
      h('dt', {}, 'Changed'), h('dd', {}, time(p.updatedAt))),
    h('p', {}, button),
    h('h2', {}, 'Signing keys'),
    table([
      ['Key id', k => h('code', {}, k.kid)],
      ['Type', k => [k.jwk.kty, k.jwk.crv].filter(Boolean).join(' ')],
      ['Added', k => time(k.createdAt)],
      ['Retired', k => time(k.retiredAt)],
    ], p.keys, 'No keys.'));
}
