/**
 * Node flags a worker process runs with (package.json's `worker` script passes the same to tsx;
 * the benches spawn workers with these).
 *
 * The worker's live heap is about 100 MB whatever the campaign's size (heap snapshots during a
 * 20,000-recipient relay), but it allocates fast (a Twilio request, a Lookup, statements per
 * message) and V8 sized its old generation from this machine's memory: between full collections
 * the heap grew to 300+ MB of garbage, so the process's resident memory passed 512 MB at 20,000
 * recipients. A 256 MB old generation makes V8 collect before that; the rest of the process
 * (the Temporal core, the workflow thread, code) is about 170 MB.
 */
export const WORKER_MAX_OLD_SPACE_MB = 256;

export const workerNodeFlags: readonly string[] = [`--max-old-space-size=${WORKER_MAX_OLD_SPACE_MB}`];
