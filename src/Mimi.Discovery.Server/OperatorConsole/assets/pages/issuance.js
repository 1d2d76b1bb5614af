import { h, page } from '../dom.js';

export async function issuancePage() {
  page('issuance', h('p', { class: 'muted' }, 'Coming next.'));
}
