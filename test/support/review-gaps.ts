import { expect } from 'vitest';
import type { Store } from '../../src/kernel/db/dialect.js';
import type { Api } from '../../src/kernel/http/build-app.js';
import { newId } from '../../src/kernel/ids.js';
import { call, type TestOrg } from './app.js';
import { EXAMPLE_PACKETS } from './example-packets.js';

const PS = 'professional-services';
const T = 'sales-to-delivery';

/** What review-gap facts name: a real submitted professional-services handoff and one of its checkpoints. */
export interface ReviewAnchor {
  orgId: string;
  /** Who the facts say sent the handoff. */
  senderUserId: string;
  handoff: string;
  checkpoint: string;
}

/** Opens and submits a professional-services handoff in the organisation, for facts to name. */
export async function reviewAnchor(app: Api, store: Store, org: TestOrg): Promise<ReviewAnchor> {
  const sales = call(app, org.sales);
  const account = await sales('POST', '/api/v1/accounts', { name: 'Harbor' });
  const engagement = await sales('POST', '/api/v1/engagements', {
    account_id: account.body.id,
    name: 'Rollout',
  });
  const handoff = await sales('POST', '/api/v1/handoffs', {
    engagement_id: engagement.body.id,
    playbook: PS,
    transition: T,
    packet: EXAMPLE_PACKETS[PS]![T],
  });
  expect((await sales('POST', `/api/v1/handoffs/${handoff.body.id}/submit`)).status).toBe(200);
  const checkpoint = await store.db
    .selectFrom('checkpoints')
    .select('id')
    .where('handoff_id', '=', handoff.body.id)
    .executeTakeFirstOrThrow();
  return {
    orgId: org.id,
    senderUserId: org.userIds.sales,
    handoff: handoff.body.id,
    checkpoint: checkpoint.id,
  };
}

/**
 * Writes `reviews` comparisons of a professional-services field (`section.field`) straight into
 * `review_gap_facts`, the first `gaps` of them gaps, as reviews of version `version`.
 */
export async function insertReviewGaps(
  store: Store,
  anchor: ReviewAnchor,
  field: string,
  reviews: number,
  gaps: number,
  version = 1,
): Promise<void> {
  const playbook = await store.db
    .selectFrom('playbooks')
    .select('id')
    .where('org_id', '=', anchor.orgId)
    .where('key', '=', PS)
    .where('version', '=', version)
    .executeTakeFirstOrThrow();
  const rows = Array.from({ length: reviews }, (_, i) => ({
    id: newId(),
    org_id: anchor.orgId,
    checkpoint_id: anchor.checkpoint,
    handoff_id: anchor.handoff,
    playbook_id: playbook.id,
    playbook_key: PS,
    playbook_version: version,
    sending_team_id: 'sales',
    receiving_team_id: 'operations',
    sender_user_id: anchor.senderUserId,
    field,
    gap: i < gaps ? 1 : 0,
    category: i < gaps ? 'incomplete' : null,
    reviewed_at: '2026-03-19T15:00:00.000Z',
    period: '2026-03',
  }));
  // One statement: a busy server's database is locked for the shortest time.
  if (rows.length > 0) await store.db.insertInto('review_gap_facts').values(rows).execute();
}
