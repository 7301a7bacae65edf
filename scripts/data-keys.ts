/**
 * `npm run data-keys -- <command>`: tenants' data keys (envelope encryption at rest, src/crypto).
 *
 * - `rotate --tenant <id>` or `rotate --all`: a new data key version; new writes use it (each
 *   process within 30 s), every older version stays readable. Nothing is re-encrypted.
 * - `rewrap`: after a platform key rotation (DATA_KEYS lists the new key first), re-wraps every
 *   data key still wrapped by an older platform key. Values are not touched.
 * - `encrypt [--tenant <id>] [--reencrypt]`: seals values still in plain text (rows from before
 *   encryption at rest); `--reencrypt` also moves values to the tenant's newest data key.
 *
 * Every command is safe to repeat and to run beside live traffic. Nothing secret is printed.
 */
import { parseArgs } from 'node:util';
import { configSchema, parseSettings } from '../src/config';
import { orExit } from '../src/config-cli';
import { createDb } from '../src/db/knex';
import { DataKeys } from '../src/crypto/data-keys';
import { platformKeyRing } from '../src/crypto/platform-keys';
import { sealPlainRows } from '../src/crypto/backfill';

const USAGE = 'usage: npm run data-keys -- rotate (--tenant <id> | --all) | rewrap | encrypt [--tenant <id>] [--reencrypt]';

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: { tenant: { type: 'string' }, all: { type: 'boolean', default: false }, reencrypt: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const [command, ...extra] = parsed.positionals;
  const { tenant, all, reencrypt } = parsed.values;
  const valid =
    !extra.length &&
    ((command === 'rotate' && !!tenant !== all && !reencrypt) || (command === 'rewrap' && !tenant && !all && !reencrypt) || (command === 'encrypt' && !all));
  if (!valid || (tenant !== undefined && !/^[0-9a-f-]{36}$/i.test(tenant))) {
    console.error(USAGE);
    process.exit(2);
  }
  const settings = orExit(() => parseSettings(configSchema.pick({ DATABASE_URL: true, CREDENTIALS_KEY: true, DATA_KEYS: true }), process.env));
  const db = createDb(settings.DATABASE_URL, { max: 2 });
  try {
    const keys = new DataKeys(db, platformKeyRing(settings));
    if (command === 'rotate') {
      const tenants = tenant ? [tenant] : await db('tenants').orderBy('id').pluck<string[]>('id');
      for (const id of tenants) console.log(`tenant ${id}: data key v${await keys.rotateTenantKey(id)}`);
    } else if (command === 'rewrap') {
      console.log(`re-wrapped ${await keys.rewrapAll()} data keys`);
    } else {
      const done = await sealPlainRows(db, keys, { tenantId: tenant, olderVersions: reencrypt, progress: (p) => console.log(`${p.field}: ${p.done}`) });
      for (const [field, n] of Object.entries(done)) console.log(`${field}: ${n} sealed`);
    }
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
