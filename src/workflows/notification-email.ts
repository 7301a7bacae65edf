import { proxyActivities } from '@temporalio/workflow';
import type { createNotificationActivities } from '../activities/notifications';

type NotificationActivities = ReturnType<typeof createNotificationActivities>;

export interface NotificationEmailInput {
  /** A reply routed to a user (`notifications`), or a monitor notice to the tenant's owner (`tenant_notices`). */
  kind: 'reply' | 'notice';
  id: string;
}

/** One email workflow per notification: a repeat of the same ask finds the one already running. */
export const emailWorkflowId = (kind: NotificationEmailInput['kind'], id: string) => `email/${kind}-${id}`;

/**
 * How one notification's email is started, as a child (the parent's queue) or from a client,
 * which adds its task queue and `workflowIdConflictPolicy: 'USE_EXISTING'` (a repeat of the
 * same ask finds the run already going; a child start has no such policy).
 */
export function startEmailOptions(kind: NotificationEmailInput['kind'], id: string) {
  return { workflowId: emailWorkflowId(kind, id), args: [{ kind, id }] as [NotificationEmailInput] };
}

/**
 * Emails one notification (id `email/<kind>-<id>`). Its own workflow so neither the inbound
 * webhook nor the monitor waits for a mail server: a down one is retried for hours, and the
 * row's `email_status` makes a repeat a no-op, so it is sent once however often it is asked for.
 */
export async function notificationEmail(input: NotificationEmailInput): Promise<string> {
  const acts = proxyActivities<NotificationActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 40 },
  });
  return input.kind === 'reply' ? acts.emailReplyNotification(input.id) : acts.emailNotice(input.id);
}
