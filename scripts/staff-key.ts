/**
 * `npm run staff-key -- <name>`: issues a compliance staff API key for a person and prints it
 * once (only its hash is stored). The name is what the audit log shows as `staff:<name>`.
 */
import { configSchema, parseSettings } from '../src/config';
import { orExit } from '../src/config-cli';
import { issueApiKey } from '../src/api/api-keys';
import { createDb } from '../src/db/knex';

async function main() {
  const name = process.argv[2];
  if (!name || !/^[a-z][a-z0-9._-]{1,40}$/i.test(name)) {
    console.error('usage: npm run staff-key -- <name>   (letters, digits, . _ -; e.g. alice)');
    process.exit(2);
  }
  const { DATABASE_URL } = orExit(() => parseSettings(configSchema.pick({ DATABASE_URL: true }), process.env));
  const db = createDb(DATABASE_URL, { max: 1 });
  try {
    const { id, key } = await issueApiKey(db, { role: 'staff', label: name });
    // The id is how staff revoke the key later (POST /v1/compliance/api-keys/<id>/revoke); the key stays the last line.
    console.log(`staff key ${id} for ${name} (shown once; send it as "Authorization: Bearer <key>"):\n${key}`);
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
