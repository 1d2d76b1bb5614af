import { h, page } from '../dom.js';

export async function quotasPage() {
  page('quotas', h('p', { class: 'muted' }, 'Coming next.'));
}
