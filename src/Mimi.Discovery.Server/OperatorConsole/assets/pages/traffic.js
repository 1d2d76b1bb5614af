import { h, page } from '../dom.js';

export async function trafficPage() {
  page('traffic', h('p', { class: 'muted' }, 'Coming next.'));
}
