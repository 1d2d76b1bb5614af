// The issuance log: its size, the checkpoint served, the witnesses' cosignatures and the last self-audit.
import { ago, h, page, table, time } from '../dom.js';
import { get } from '../api.js';

export async function logPage() {
  const log = await get('/v1/log/state');
  const audit = log.selfAudit;
  const now = Date.now();
  page('Issuance log',
    h('div', { class: 'cards' },
      h('div', { class: 'card' }, h('div', { class: 'figure', id: 'log-size' }, log.size), h('div', { class: 'label' }, 'entries')),
      h('div', { class: 'card' }, h('div', { class: 'figure' }, log.checkpointSize ?? '—'), h('div', { class: 'label' }, 'size of the checkpoint served')),
      h('div', { class: 'card' }, h('div', { class: `figure ${log.intact ? 'good' : 'bad'}` }, log.intact ? 'intact' : 'finding'),
        h('div', { class: 'label' }, audit ? `self-audit ${ago((now - Date.parse(audit.completedAt)) / 1000)} ago over ${audit.size} entries` : 'no self-audit pass yet'))),
    h('h2', {}, 'Checkpoint served'),
    h('pre', { class: 'small', id: 'log-checkpoint' }, log.checkpoint),
    h('h2', {}, `Witnesses (quorum ${log.quorum})`),
    log.witnesses.length === 0
      ? h('p', { class: 'muted' }, 'No witness is configured (Log:Witnesses): the log signs its head alone.')
      : table([
        ['Witness', w => w.name],
        ['URL', w => h('code', { class: 'small' }, w.url)],
        ['Cosigned size', w => w.cosignedSize ?? '—'],
        ['Last cosignature', w => (w.lastCosignedAt ? [time(w.lastCosignedAt), ` (${ago((now - Date.parse(w.lastCosignedAt)) / 1000)} ago)`] : 'never')],
        ['Cosigned the newest', w => h('span', { class: w.cosignedNewest ? 'good' : 'bad' }, w.cosignedNewest ? 'yes' : 'no')],
      ], log.witnesses));
}
