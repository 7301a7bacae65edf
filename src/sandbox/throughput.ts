/**
 * Per-sender throughput as Twilio queues it: each sender drains at its MPS (in segments per
 * second), and its queue holds MPS × the default ValidityPeriod (4 hours) worth of segments;
 * past that a send is refused with 21611. A message whose turn comes after its own
 * ValidityPeriod fails with 30036 (checked when its turn comes).
 */
export class SenderQueues {
  private readonly nextFreeAt = new Map<string, number>();
  private readonly mpsBySender = new Map<string, number>();

  constructor(
    private defaultMps: number,
    private readonly queueSeconds = 14_400,
  ) {}

  setMps(sender: string | undefined, mps: number): void {
    if (sender) this.mpsBySender.set(sender, mps);
    else this.defaultMps = mps;
  }

  mpsOf(sender: string): number {
    return this.mpsBySender.get(sender) ?? this.defaultMps;
  }

  /** Reserves the sender's next slot for `segments`; `undefined` when the queue is full. */
  enqueue(sender: string, segments: number, now: number): { sendAt: number } | undefined {
    const mps = this.mpsOf(sender);
    const freeAt = Math.max(now, this.nextFreeAt.get(sender) ?? now);
    const queuedSegments = ((freeAt - now) / 1000) * mps;
    if (queuedSegments + segments > mps * this.queueSeconds) return undefined;
    this.nextFreeAt.set(sender, freeAt + (segments * 1000) / mps);
    return { sendAt: freeAt };
  }

  reset(): void {
    this.nextFreeAt.clear();
    this.mpsBySender.clear();
  }
}
