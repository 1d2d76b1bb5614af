import { h, page } from '../dom.js';

export async function outboxPage() {
  page('outbox', h('p', { class: 'muted' }, 'Coming next.'));
}
