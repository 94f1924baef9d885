import { loadEngagement } from '../../accounts/public.js';
import type { Deps } from '../../kernel/context.js';
import type {
  CloseoutDebriefsTable,
  PunchItemsTable,
  TrainingRecordsTable,
  WarrantiesTable,
} from '../../kernel/db/schema.js';
import type { Page } from '../../kernel/http/schemas.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import type { Debrief, PunchItem, TrainingRecord, Warranty } from '../records-schema.js';
import {
  toDebriefView,
  toPunchItemView,
  toTrainingView,
  toWarrantyView,
  userNames,
} from './closeout-records.js';

/** The closeout's tables, by name, as their rows are typed. */
interface RecordTables {
  warranties: WarrantiesTable;
  punch_items: PunchItemsTable;
  training_records: TrainingRecordsTable;
  closeout_debriefs: CloseoutDebriefsTable;
}

/** The rows of one closeout table of the engagement, in the order given, once the caller may read them. */
async function rowsOf<T extends keyof RecordTables>(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  table: T,
  order: 'expires_on' | 'created_at' | 'trained_on' | 'held_on',
): Promise<RecordTables[T][]> {
  requireCapability(principal, 'read', 'read the closeout records');
  const db = deps.store.db;
  const engagement = await loadEngagement(db, principal.orgId, engagementId);
  // Kysely cannot relate a generic table name to its columns; the signature above does.
  const rows = await db
    .selectFrom(table as 'warranties')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where('engagement_id', '=', engagement.id)
    .orderBy(order as 'expires_on')
    .orderBy('id')
    .execute();
  return rows as unknown as RecordTables[T][];
}

/** The engagement's warranties and support contracts, soonest expiry first. */
export async function listWarranties(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<Page<Warranty>> {
  const rows = await rowsOf(deps, principal, engagementId, 'warranties', 'expires_on');
  return { items: rows.map(toWarrantyView), total: rows.length };
}

/** The engagement's punch list, in the order items were added. */
export async function listPunchItems(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<Page<PunchItem>> {
  const rows = await rowsOf(deps, principal, engagementId, 'punch_items', 'created_at');
  const names = await userNames(
    deps.store.db,
    principal.orgId,
    rows.map((r) => r.owner_user_id),
  );
  return { items: rows.map((r) => toPunchItemView(r, names)), total: rows.length };
}

/** Who was trained on what on the engagement, oldest training first. */
export async function listTraining(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<Page<TrainingRecord>> {
  const rows = await rowsOf(deps, principal, engagementId, 'training_records', 'trained_on');
  const names = await userNames(
    deps.store.db,
    principal.orgId,
    rows.map((r) => r.trainer_user_id),
  );
  return { items: rows.map((r) => toTrainingView(r, names)), total: rows.length };
}

/** The engagement's internal debriefs, oldest first. */
export async function listDebriefs(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<Page<Debrief>> {
  const rows = await rowsOf(deps, principal, engagementId, 'closeout_debriefs', 'held_on');
  return { items: rows.map(toDebriefView), total: rows.length };
}
