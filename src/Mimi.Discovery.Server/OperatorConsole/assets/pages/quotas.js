// Owner quotas: what each provider allows others to look up of its users, and to claim of their KeyPackages.
import { h, page, table, time } from '../dom.js';
import { get } from '../api.js';

const limit = value => (value === null || value === undefined ? h('span', { class: 'muted' }, 'none') : value);

export async function quotasPage() {
  const quotas = await get('/v1/quotas');
  page('Owner quotas',
    h('p', { class: 'muted' }, 'Per window; set by each provider for lookups hitting its users and claims of their KeyPackages, else the defaults (Lookup: settings).'),
    table([
      ['Owner', q => h('a', { href: `#/providers/${encodeURIComponent(q.owner)}` }, q.owner)],
      ['Set by', q => (q.custom ? 'owner' : h('span', { class: 'muted' }, 'default'))],
      ['Lookups / requester', q => limit(q.lookupsPerRequester)],
      ['Lookups total', q => limit(q.lookupsTotal)],
      ['Claims / requester', q => limit(q.claimsPerRequester)],
      ['Claims total', q => limit(q.claimsTotal)],
      ['Window', q => `${q.windowSeconds} s`],
      ['Changed', q => time(q.updatedAt)],
    ], quotas, 'No provider is enrolled yet.'));
}
