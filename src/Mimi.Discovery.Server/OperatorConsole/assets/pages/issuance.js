// The issuance feed: the newest credentials of every provider and the newest revocations (no identifiers or users).
import { h, page, table, time } from '../dom.js';
import { get } from '../api.js';

const columns = [
  ['Serial', c => h('code', { class: 'small' }, c.serial)],
  ['Provider', c => h('a', { href: `#/providers/${encodeURIComponent(c.provider)}` }, c.provider)],
  ['Attestation', c => c.attestation],
  ['Issued', c => time(c.issuedAt)],
  ['Log index', c => c.logIndex],
];

export async function issuancePage() {
  const [issued, revoked] = await Promise.all([get('/v1/authority/issuances?limit=50'), get('/v1/authority/revocations?limit=50')]);
  page('Issuance',
    h('h2', {}, 'Newest credentials'),
    table([...columns, ['Revoked', c => (c.revokedAt ? h('span', { class: 'bad' }, 'revoked') : '')]], issued, 'Nothing issued yet.'),
    h('h2', {}, 'Newest revocations'),
    table([...columns, ['Revoked', c => time(c.revokedAt)], ['Reason', c => c.revocationReason ?? '']], revoked, 'Nothing revoked.'));
}
