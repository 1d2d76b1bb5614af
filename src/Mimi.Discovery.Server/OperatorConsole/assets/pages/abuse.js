import { h, page } from '../dom.js';

export async function abusePage() {
  page('abuse', h('p', { class: 'muted' }, 'Coming next.'));
}
