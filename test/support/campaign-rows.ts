import type { Knex } from 'knex';

/**
 * A campaign row put straight into PostgreSQL, for tests that drive the campaign's activities
 * themselves (not the API): a marketing recall, already judged clean, `preparing`.
 */
export async function insertCampaignRow(db: Knex, tenantId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const [{ id }] = await db('campaigns')
    .insert({
      tenant_id: tenantId,
      name: 'Recall',
      body: 'Bright Smiles Dental: checkup due. Reply STOP to opt out.',
      message_type: 'marketing',
      batch_size: 10,
      scan: '{}',
      encoding: 'GSM-7',
      segments: 1,
      status: 'preparing',
      ...overrides,
    })
    .returning<{ id: string }[]>('id');
  return id;
}
