// Abuse reports received for rooms hosted here. Exists with the delivery core only.
import { h, page, table, time } from '../dom.js';
import { ApiError, get } from '../api.js';

export async function abusePage() {
  let reports;
  try {
    reports = await get('/v1/delivery/abuse-reports');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      return page('Abuse reports', h('p', { class: 'muted', id: 'abuse-off' },
        'The delivery core is not configured on this service (Delivery:Domain): it hosts no rooms and receives no abuse reports.'));
    }
    throw e;
  }
  page('Abuse reports',
    table([
      ['Received', r => time(r.receivedAt)],
      ['From', r => r.source],
      ['Room', r => h('code', { class: 'small' }, r.room)],
      ['Reporting user', r => r.reportingUser],
      ['Alleged abuser', r => r.allegedAbuser],
      ['Reason', r => r.reason],
      ['Messages', r => r.messageCount],
      ['Note', r => r.note],
    ], reports, 'No abuse report received.'));
}
