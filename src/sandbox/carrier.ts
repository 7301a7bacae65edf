import { z } from 'zod';

/**
 * What happens to a sent message at the carrier. Rates pick an outcome per message with a
 * seeded random generator (same seed, same outcomes); per-number overrides pin one.
 */
export const carrierModelSchema = z
  .object({
    undeliveredRate: z.number().min(0).max(1).default(0),
    failedRate: z.number().min(0).max(1).default(0),
    /** Error codes an undelivered or failed message gets, chosen in turn by the generator. */
    errorCodes: z.array(z.number().int()).min(1).default([30003, 30005, 30006, 30007]),
    overrides: z
      .record(z.string(), z.object({ status: z.enum(['delivered', 'undelivered', 'failed']), errorCode: z.number().int().optional() }).strict())
      .default({}),
    seed: z.number().int().default(1),
  })
  .strict()
  .refine((m) => m.undeliveredRate + m.failedRate <= 1, 'undeliveredRate + failedRate must not exceed 1');
export type CarrierModel = z.infer<typeof carrierModelSchema>;

export const CARRIER_ERROR_MESSAGES: Record<number, string> = {
  30003: 'Unreachable destination handset',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  30008: 'Unknown error',
  30036: 'Validity Period Expired',
};

/** mulberry32: tiny, seedable, good enough to spread outcomes; not for security. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Carrier {
  private model: CarrierModel = carrierModelSchema.parse({});
  private random = mulberry32(1);

  configure(model: CarrierModel): void {
    this.model = model;
    this.random = mulberry32(model.seed);
  }

  current(): CarrierModel {
    return this.model;
  }

  outcomeFor(to: string): { status: 'delivered' | 'undelivered' | 'failed'; errorCode: number | null } {
    const override = this.model.overrides[to];
    if (override) return { status: override.status, errorCode: override.status === 'delivered' ? null : (override.errorCode ?? this.model.errorCodes[0]) };
    const roll = this.random();
    const code = () => this.model.errorCodes[Math.floor(this.random() * this.model.errorCodes.length)];
    if (roll < this.model.failedRate) return { status: 'failed', errorCode: code() };
    if (roll < this.model.failedRate + this.model.undeliveredRate) return { status: 'undelivered', errorCode: code() };
    return { status: 'delivered', errorCode: null };
  }
}
