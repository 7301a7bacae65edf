/**
 * Node flags each long-running process runs with. package.json's `worker` and `api` scripts pass
 * the same to tsx, `npm start` spawns its services with them, and the benches spawn theirs with
 * them (test/unit/node-flags.test.ts keeps the scripts in step).
 */

/**
 * The worker's live heap is about 100 MB whatever the campaign's size (heap snapshots during a
 * 20,000-recipient relay), but it allocates fast (a Twilio request, a Lookup, statements per
 * message) and V8 sized its old generation from this machine's memory: between full collections
 * the heap grew to 300+ MB of garbage, so the process's resident memory passed 512 MB at 20,000
 * recipients. A 256 MB old generation makes V8 collect before that; the rest of the process
 * (the Temporal core, the workflow thread, code) is about 170 MB.
 */
export const WORKER_MAX_OLD_SPACE_MB = 256;

export const workerNodeFlags: readonly string[] = [`--max-old-space-size=${WORKER_MAX_OLD_SPACE_MB}`];

/**
 * The API under a burst of status callbacks holds a hundred or more requests at once, each
 * alive until its batch commits; with V8's default 16 MB young generation they outlived it and
 * were copied and promoted, and garbage collection was a fifth of the API's busy time
 * (bench/webhook-ingest.ts profile at 128 clients). A 64 MB young generation lets them die
 * young: 0.79–0.81 of bare Express became 0.87–0.88 in the same runs' conditions. It costs at
 * most 3 × 64 MB of address space, mostly untouched when the API is quiet.
 */
export const API_MAX_SEMI_SPACE_MB = 64;

export const apiNodeFlags: readonly string[] = [`--max-semi-space-size=${API_MAX_SEMI_SPACE_MB}`];
