/** `npm run migrate`: create the database named by DATABASE_URL if missing, apply migrations. */
import { configSchema, parseSettings } from '../src/config';
import { orExit } from '../src/config-cli';
import { migrateToLatest } from '../src/db/migrate';

async function main() {
  const { DATABASE_URL } = orExit(() => parseSettings(configSchema.pick({ DATABASE_URL: true }), process.env));
  const applied = await migrateToLatest(DATABASE_URL);
  console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
