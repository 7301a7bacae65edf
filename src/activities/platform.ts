import type { ActivityDeps } from './deps';

export interface PlatformCheck {
  database: { latestMigration: string | null; checkedAt: string };
}

/** Activities that prove the worker reaches its dependencies (used by the platform self-check). */
export function createPlatformActivities({ db, clock }: ActivityDeps) {
  return {
    async checkDatabase(): Promise<PlatformCheck['database']> {
      const row = await db('knex_migrations').orderBy('id', 'desc').first<{ name: string } | undefined>('name');
      return { latestMigration: row?.name ?? null, checkedAt: clock().toISOString() };
    },
  };
}

export type PlatformActivities = ReturnType<typeof createPlatformActivities>;
