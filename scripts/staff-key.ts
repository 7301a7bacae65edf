/**
 * `npm run staff-key -- <name> [--role reviewer|admin]`: issues a compliance staff API key for a
 * person and prints it once (only its hash is stored). The name is what the audit log shows as
 * `staff:<name>`. A reviewer reads and decides reviews and cases; only an admin changes a
 * sender's MPS, reinstates a tenant, revokes keys, starts registrations or offboards. The role
 * defaults to reviewer, the lesser one.
 */
import { parseArgs } from 'node:util';
import { configSchema, parseSettings } from '../src/config';
import { orExit } from '../src/config-cli';
import { issueApiKey } from '../src/api/api-keys';
import { createDb } from '../src/db/knex';
import { STAFF_ROLES, type StaffRole } from '../src/domain/permissions';

const USAGE = `usage: npm run staff-key -- <name> [--role ${STAFF_ROLES.join('|')}]   (name: letters, digits, . _ -; e.g. alice)`;

async function main() {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), options: { role: { type: 'string', default: 'reviewer' } }, allowPositionals: true });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const [name, ...extra] = parsed.positionals;
  const role = parsed.values.role;
  if (!name || extra.length || !/^[a-z][a-z0-9._-]{1,40}$/i.test(name)) {
    console.error(USAGE);
    process.exit(2);
  }
  if (!STAFF_ROLES.includes(role as StaffRole)) {
    console.error(`unknown role ${JSON.stringify(role)}: it must be one of ${STAFF_ROLES.join(', ')}\n${USAGE}`);
    process.exit(2);
  }
  const { DATABASE_URL } = orExit(() => parseSettings(configSchema.pick({ DATABASE_URL: true }), process.env));
  const db = createDb(DATABASE_URL, { max: 1 });
  try {
    const { id, key } = await issueApiKey(db, { role: 'staff', label: name, staffRole: role as StaffRole });
    // The id is how staff revoke the key later (POST /v1/compliance/api-keys/<id>/revoke); the key stays the last line.
    console.log(`staff key ${id} for ${name}, role ${role} (shown once; send it as "Authorization: Bearer <key>"):\n${key}`);
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
