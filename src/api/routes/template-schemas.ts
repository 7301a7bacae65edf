import { z } from 'zod';
import { MAX_BODY_LENGTH, type Judgement } from '../../domain/compliance/judge';
import { MESSAGE_TYPES, type MessageType } from '../../domain/message-shaping';
import type { SegmentEstimate } from '../../domain/segments';

/** What a tenant sends to create a template, or to replace one. */
export const templateInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** The text with merge fields: `{{first_name}}`, `{{firstName|there}}` (src/domain/message-template.ts). */
    body: z.string().min(1).max(MAX_BODY_LENGTH),
    messageType: z.enum(MESSAGE_TYPES),
  })
  .strict();

export const templateListQuery = z
  .object({
    /** Only templates named after this one (the last name of the previous page). */
    after: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();

export const templatePreviewQuery = z.object({ contactId: z.uuid({ error: 'must be a contact id' }) }).strict();

export interface TemplateRow {
  id: string;
  tenant_id: string;
  name: string;
  /** Sealed with the tenant's data key (`message_templates.body`). */
  body: string;
  message_type: MessageType;
  merge_fields: string[];
  scan: Judgement & { segments: SegmentEstimate };
  created_at: Date;
  updated_at: Date;
}

export const templateView = (t: TemplateRow) => ({
  id: t.id,
  name: t.name,
  body: t.body,
  messageType: t.message_type,
  /** The contact values it fills, each once. */
  mergeFields: t.merge_fields,
  /** The judgement of its fixed text, each field shown as its fallback (or `[name]`); filled values are judged per contact. */
  scan: t.scan,
  createdAt: t.created_at,
  updatedAt: t.updated_at,
});
