import { h, page } from '../dom.js';

export async function logPage() {
  page('log', h('p', { class: 'muted' }, 'Coming next.'));
}
