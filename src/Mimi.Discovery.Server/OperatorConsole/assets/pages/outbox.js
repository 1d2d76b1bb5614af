// The outbox: provider-to-provider deliveries waiting per destination, and those given up. Exists with delivery only.
import { ago, h, page, table, time } from '../dom.js';
import { ApiError, get } from '../api.js';

export async function outboxPage() {
  let outbox;
  try {
    outbox = await get('/v1/delivery/outbox');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      return page('Outbox', h('p', { class: 'muted', id: 'outbox-off' },
        'The delivery core is not configured on this service (Delivery:Domain), so it sends nothing to other providers and has no outbox.'));
    }
    throw e;
  }
  page('Outbox',
    h('div', { class: 'cards' },
      h('div', { class: 'card' }, h('div', { class: 'figure' }, outbox.pending), h('div', { class: 'label' }, 'waiting')),
      h('div', { class: 'card' }, h('div', { class: 'figure' }, ago(outbox.oldestPendingSeconds)), h('div', { class: 'label' }, 'oldest waiting')),
      h('div', { class: 'card' }, h('div', { class: `figure ${outbox.failed ? 'bad' : ''}` }, outbox.failed), h('div', { class: 'label' }, 'given up'))),
    h('h2', {}, 'Waiting, per destination'),
    table([
      ['Destination', d => d.destination],
      ['Messages', d => d.pending],
      ['Oldest', d => ago(d.oldestPendingSeconds)],
    ], outbox.destinations ?? [], 'Nothing waits.'),
    h('h2', {}, 'Given up recently'),
    table([
      ['Destination', f => f.destination],
      ['Endpoint', f => f.endpoint],
      ['Attempts', f => f.attempts],
      ['Queued', f => time(f.createdAt)],
      ['Last error', f => f.lastError ?? ''],
    ], outbox.recentFailures, 'No delivery was given up.'));
}
