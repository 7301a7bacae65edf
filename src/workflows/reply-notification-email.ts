import { proxyActivities } from '@temporalio/workflow';
import type { createNotificationActivities } from '../activities/notifications';

type NotificationActivities = ReturnType<typeof createNotificationActivities>;

/**
 * Emails one reply notification to the user it was routed to. A workflow (id
 * `reply-email/<notificationId>`) so the inbound webhook can answer Twilio at once while the
 * email is retried for hours if the mail server is down, and sent once however often the
 * webhook is retried.
 */
export async function replyNotificationEmail(notificationId: string): Promise<string> {
  const acts = proxyActivities<NotificationActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 40 },
  });
  return acts.emailReplyNotification(notificationId);
}
