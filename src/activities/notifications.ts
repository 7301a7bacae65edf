import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import { createMailer } from '../mail/mailer';
import { dataKeysFor } from '../crypto/data-keys';

/**
 * Email that goes with in-platform notifications: a reply routed to a tenant's user, and a
 * monitor notice to the tenant's owner. Each row is emailed once: `email_status` moves
 * pending → sent, and a retried activity finds it sent.
 */
export function createNotificationActivities({ db, config, log, mailer: injected }: ActivityDeps) {
  const mailer = injected ?? createMailer(config);
  const keys = dataKeysFor(db, config);

  return {
    async emailReplyNotification(notificationId: string): Promise<'sent' | 'already_sent'> {
      const n = await db('notifications as n')
        .join('inbound_messages as m', 'm.message_sid', 'n.inbound_message_sid')
        .join('tenants as t', 't.id', 'n.tenant_id')
        .leftJoin('contacts as c', 'c.id', 'm.contact_id')
        .leftJoin('opt_out_requests as o', 'o.inbound_message_sid', 'n.inbound_message_sid')
        .where('n.id', notificationId)
        .first<
          | {
              tenant_id: string;
              email_status: string;
              email_to: string | null;
              user_name: string;
              from_number: string;
              body: string;
              received_at: Date;
              business_name: string;
              contact_name: string | null;
              opt_out_request_id: string | null;
            }
          | undefined
        >(
          'n.tenant_id',
          'n.email_status',
          'n.email_to',
          'n.user_name',
          'm.from_number',
          'm.body',
          'm.received_at',
          't.business_name',
          'c.name as contact_name',
          'o.id as opt_out_request_id',
        );
      if (!n) throw ApplicationFailure.nonRetryable(`no notification ${notificationId}`, 'NotFound');
      if (n.email_status === 'sent') return 'already_sent';
      if (!n.email_to) throw ApplicationFailure.nonRetryable(`notification ${notificationId} has no address`, 'NoAddress');
      // Stored encrypted; opened here, in the activity, so neither text reaches the workflow's history.
      await keys.openRows([n], (r) => r.tenant_id, { body: 'inbound_messages.body', contact_name: 'contacts.name' });
      const who = n.contact_name ? `${n.contact_name} (${n.from_number})` : n.from_number;
      await mailer.send({
        to: n.email_to,
        subject: `${n.business_name}: a reply from ${who}${n.opt_out_request_id ? ' (possible opt-out request)' : ''}`,
        text: [
          `${who} replied at ${n.received_at.toISOString()}:`,
          '',
          n.body,
          '',
          ...(n.opt_out_request_id
            ? [
                `This may be a request to stop messages (opt-out request ${n.opt_out_request_id}). Until someone decides, the number still receives campaigns:`,
                `confirm it with POST /v1/opt-out-requests/${n.opt_out_request_id}/confirm, or dismiss it with POST /v1/opt-out-requests/${n.opt_out_request_id}/dismiss.`,
                '',
              ]
            : []),
          `This reply was routed to you (${n.user_name}). See all replies at GET /v1/notifications.`,
        ].join('\n'),
      });
      await db('notifications').where({ id: notificationId }).update({ email_status: 'sent' });
      log.info({ notificationId }, 'reply notification emailed');
      return 'sent';
    },

    async emailNotice(noticeId: string): Promise<'sent' | 'already_sent' | 'no_address'> {
      const n = await db('tenant_notices as n')
        .join('tenants as t', 't.id', 'n.tenant_id')
        .where('n.id', noticeId)
        .first<{ email_status: string; title: string; body: string; contact_email: string; contact_name: string } | undefined>(
          'n.email_status',
          'n.title',
          'n.body',
          't.contact_email',
          't.contact_name',
        );
      if (!n) throw ApplicationFailure.nonRetryable(`no notice ${noticeId}`, 'NotFound');
      if (n.email_status === 'sent') return 'already_sent';
      if (!n.contact_email) {
        await db('tenant_notices').where({ id: noticeId }).update({ email_status: 'no_address' });
        return 'no_address';
      }
      await mailer.send({ to: n.contact_email, subject: n.title, text: `Hello ${n.contact_name || 'there'},\n\n${n.body}\n\n— clearsend compliance` });
      await db('tenant_notices').where({ id: noticeId }).update({ email_status: 'sent' });
      return 'sent';
    },
  };
}
