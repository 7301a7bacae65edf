import { SegmentedMessage } from 'sms-segments-calculator';

export interface SegmentEstimate {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  characters: number;
  /** The characters that forced UCS-2, so a person can replace them. */
  unicodeCharacters: string[];
}

/** Segments and encoding as carriers count them (sms-segments-calculator does the GSM-7 tables). */
export function estimateSegments(body: string): SegmentEstimate {
  const message = new SegmentedMessage(body);
  const encoding = message.encodingName === 'UCS-2' ? 'UCS-2' : 'GSM-7';
  return {
    encoding,
    segments: message.segmentsCount,
    characters: message.numberOfCharacters,
    unicodeCharacters: encoding === 'UCS-2' ? [...new Set(message.getNonGsmCharacters())] : [],
  };
}

/**
 * US long-code price per outbound segment, in USD, before carrier fees: Twilio's list price
 * at the time of writing ($0.0083). An estimate for planning, not a bill.
 */
export const DEFAULT_PRICE_PER_SEGMENT_USD = 0.0083;

/** Cost in USD rounded to cents, computed in integer micro-dollars to avoid float drift. */
export function estimateCampaignCost(input: { segmentsPerMessage: number; recipients: number; pricePerSegmentUsd?: number }): number {
  return estimateSegmentsCost(input.segmentsPerMessage * input.recipients, input.pricePerSegmentUsd);
}

/** The cost of this many segments in all, when messages differ in length (an opt-out footer on some). */
export function estimateSegmentsCost(segments: number, pricePerSegmentUsd = DEFAULT_PRICE_PER_SEGMENT_USD): number {
  const micro = Math.round(pricePerSegmentUsd * 1_000_000) * segments;
  return Math.round(micro / 10_000) / 100;
}
