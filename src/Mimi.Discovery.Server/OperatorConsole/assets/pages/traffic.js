// Lookup traffic over time per requester, refusals apart: this instance's counts, one bar per minute.
import { h, page, table } from '../dom.js';
import { get } from '../api.js';
import { legend, stackedBars } from '../charts.js';

const refusal = outcome => outcome.startsWith('refused') || outcome === 'limiter-unavailable';

export async function trafficPage(params) {
  const minutes = Number(params.get('minutes') ?? 60);
  const traffic = await get(`/v1/operations/lookup-traffic?minutes=${minutes}`);
  const requesters = [...new Set(traffic.series.map(s => s.requester))];
  const byRequester = requesters.map(requester => ({
    label: requester,
    counts: traffic.series.filter(s => s.requester === requester && !refusal(s.outcome))
      .reduce((sum, s) => sum.map((v, i) => v + s.counts[i]), new Array(traffic.minutes).fill(0)),
  }));
  const refusals = traffic.series.filter(s => refusal(s.outcome))
    .map(s => ({ label: `${s.requester} · ${s.outcome}`, counts: s.counts }));
  const total = traffic.series.reduce((sum, s) => sum + s.total, 0);
  const refused = refusals.reduce((sum, s) => sum + s.counts.reduce((a, b) => a + b, 0), 0);
  const ranges = [60, 360, 1440].map(m => h('a', { href: `#/traffic?minutes=${m}`, 'aria-current': m === minutes ? 'page' : null }, m < 120 ? `${m} min` : `${m / 60} h`));
  page('Lookup traffic',
    h('p', { class: 'muted' }, 'As counted by the instance that answered (each replica counts its own; Prometheus sums them). ', ...ranges.flatMap(a => [a, ' '])),
    h('div', { class: 'cards' },
      h('div', { class: 'card' }, h('div', { class: 'figure', id: 'traffic-total' }, total), h('div', { class: 'label' }, `lookups in ${minutes} min`)),
      h('div', { class: 'card' }, h('div', { class: 'figure bad' }, refused), h('div', { class: 'label' }, 'refused'))),
    h('h2', {}, 'Answered, per requester'),
    h('div', { class: 'chart' }, stackedBars(byRequester, traffic.start), legend(byRequester.map(s => s.label))),
    h('h2', {}, 'Refused, per requester and reason'),
    refusals.length ? h('div', { class: 'chart' }, stackedBars(refusals, traffic.start), legend(refusals.map(s => s.label))) : h('p', { class: 'muted' }, 'No refusal in this period.'),
    h('h2', {}, 'Totals'),
    table([
      ['Requester', s => s.requester],
      ['Outcome', s => h('span', { class: refusal(s.outcome) ? 'bad' : '' }, s.outcome)],
      ['Lookups', s => s.total],
      ['Peak per minute', s => Math.max(...s.counts)],
    ], traffic.series, 'No lookup in this period.'));
}
