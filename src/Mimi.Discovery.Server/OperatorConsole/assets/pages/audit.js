// The audit trail: every administrative act, newest first, filtered by actor, action, target and time, page by page.
import { h, page, table, time } from '../dom.js';
import { get } from '../api.js';

const filters = ['actor', 'action', 'target', 'since', 'until'];

function change(event) {
  const parts = [];
  for (const key of new Set([...Object.keys(event.before ?? {}), ...Object.keys(event.after ?? {})])) {
    const before = event.before?.[key];
    const after = event.after?.[key];
    parts.push(`${key}: ${before === undefined ? '' : JSON.stringify(before) + ' → '}${after === undefined ? '∅' : JSON.stringify(after)}`);
  }
  return parts.join('; ');
}

export async function auditPage(params) {
  const query = new URLSearchParams();
  for (const name of [...filters, 'after']) {
    if (params.get(name)) query.set(name, params.get(name));
  }
  query.set('limit', '50');
  const result = await get(`/v1/audit-events?${query}`);
  const form = h('form', { class: 'filters', id: 'audit-filters' },
    filters.map(name => h('label', {}, name, h('input', {
      name, value: params.get(name) ?? '', placeholder: name === 'since' || name === 'until' ? '2026-12-07T20:00:00Z' : '',
    }))),
    h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) next.set(name, value);
    location.hash = `#/audit?${next}`;
  });
  const more = new URLSearchParams(params);
  if (result.next) more.set('after', result.next);
  page('Audit trail', form,
    table([
      ['Time', e => time(e.time)],
      ['Actor', e => `${e.actor.id} (${e.actor.role})`],
      ['Action', e => h('code', {}, e.action)],
      ['Target', e => e.target],
      ['Change', change],
      ['Request', e => h('code', { class: 'small' }, e.requestId ?? '')],
    ], result.events, 'No event matches.'),
    result.next ? h('p', {}, h('a', { href: `#/audit?${more}`, id: 'audit-next' }, 'Older events →')) : null);
}
