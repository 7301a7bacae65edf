import type { Knex } from 'knex';
import { migrations } from './migrations';
import { createDb } from './knex';
import { ensureDatabase } from './ensure-database';

type Migration = (typeof migrations)[number];

const source: Knex.MigrationSource<Migration> = {
  getMigrations: async () => [...migrations],
  getMigrationName: (m) => m.name,
  getMigration: async (m) => m,
};

export const migratorConfig: Knex.MigratorConfig = { migrationSource: source, tableName: 'knex_migrations' };

/** Creates the database if missing and applies every pending migration; returns their names. */
export async function migrateToLatest(databaseUrl: string): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const db = createDb(databaseUrl, { max: 1 });
  try {
    const [, applied] = (await db.migrate.latest(migratorConfig)) as [number, string[]];
    return applied;
  } finally {
    await db.destroy();
  }
}
