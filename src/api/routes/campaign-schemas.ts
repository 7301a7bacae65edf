import { z } from 'zod';
import type { ContentReviewState } from '../../domain/compliance/clearance';
import { MAX_BODY_LENGTH, type Judgement } from '../../domain/compliance/judge';
import { MESSAGE_TYPES, type MessageType } from '../../domain/message-shaping';
import type { estimateSegments } from '../../domain/segments';

/** What a tenant sends to create a campaign, the row it becomes, and how the API shows it. */
export const createCampaign = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** The text, which may have merge fields (src/domain/message-template.ts); or `templateId`. */
    body: z.string().min(1).max(MAX_BODY_LENGTH).optional(),
    /** A template's text instead of `body` (copied: later changes to the template do not reach the campaign). */
    templateId: z.uuid().optional(),
    /** How often recipients are told how to opt out: every first message; marketing also after the footer interval. Defaults to the template's. */
    messageType: z.enum(MESSAGE_TYPES).optional(),
    /** Only contacts with this tag; omitted: all of the tenant's contacts. */
    audienceTag: z.string().trim().min(1).max(64).optional(),
    batchSize: z.number().int().min(1).max(100_000).optional(),
    requireHelpLanguage: z.boolean().default(false),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.body === undefined) === (c.templateId === undefined))
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'give either body or templateId, not both' });
    if (c.body !== undefined && c.messageType === undefined)
      ctx.addIssue({ code: 'custom', path: ['messageType'], message: 'is required with a body (a template brings its own)' });
  });

export interface CampaignRow {
  id: string;
  tenant_id: string;
  name: string;
  /** Null once retention purged it (`body_purged_at`). */
  body: string | null;
  body_purged_at?: Date | null;
  message_type: MessageType;
  audience_tag: string | null;
  batch_size: number;
  status: string;
  scan: Judgement & { segments: ReturnType<typeof estimateSegments> };
  content_review: ContentReviewState;
  content_reviewed_by: string | null;
  content_reviewed_at: Date | null;
  content_review_reason: string | null;
  encoding: string;
  segments: number;
  template_id: string | null;
  merge_fields: string[];
  refusal_reason: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export const campaignView = (c: CampaignRow) => ({
  id: c.id,
  name: c.name,
  body: c.body,
  /** When retention purged the message text (body null, and the scan's quotes of it gone); null while it is kept. */
  bodyPurgedAt: c.body_purged_at ?? null,
  messageType: c.message_type,
  /** The template its text was copied from, if any, and the merge fields the relay fills per recipient. */
  templateId: c.template_id,
  mergeFields: c.merge_fields,
  audienceTag: c.audience_tag,
  batchSize: c.batch_size,
  status: c.status,
  refusalReason: c.refusal_reason,
  scan: c.scan,
  // Content a person must judge first: pending until compliance staff approve or reject it.
  contentReview: c.content_review
    ? { status: c.content_review, decidedBy: c.content_reviewed_by, decidedAt: c.content_reviewed_at, reason: c.content_review_reason }
    : null,
  createdAt: c.created_at,
  startedAt: c.started_at,
  finishedAt: c.finished_at,
});
