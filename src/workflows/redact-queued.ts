import type { DataProtectionActivities, RedactionPage } from '../activities/data-protection';

type RedactQueuedPage = DataProtectionActivities['redactQueuedPage'];

/**
 * Redacts at Twilio every message queued for a tenant (retention, an erasure, offboarding), one
 * activity a page, each page starting after the last row the one before tried. `onPage` sees each
 * page's answer as it comes (a workflow's running totals); the pages' sums are returned.
 */
export async function redactEveryQueuedPage(
  redactQueuedPage: RedactQueuedPage,
  request: Omit<Parameters<RedactQueuedPage>[0], 'afterId'>,
  onPage?: (page: RedactionPage) => void,
): Promise<{ redacted: number; failed: number }> {
  const sums = { redacted: 0, failed: 0 };
  let afterId = '0';
  for (;;) {
    const page = await redactQueuedPage({ ...request, afterId });
    sums.redacted += page.redacted;
    sums.failed += page.failed;
    onPage?.(page);
    afterId = page.lastId;
    if (!page.more) return sums;
  }
}
