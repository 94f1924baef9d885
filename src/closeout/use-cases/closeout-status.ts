import { loadEngagement } from '../../accounts/public.js';
import { latestHandoffOf } from '../../handoffs/public.js';
import type { Db, Deps, Ports } from '../../kernel/context.js';
import type { EngagementsTable } from '../../kernel/db/schema.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { playbookById } from '../../playbooks/playbook-cache.js';
import { judgeChecklist } from '../domain/closeout-checklist.js';
import { orphanProducts } from '../domain/inventory-item.js';
import type {} from '../ports.js';
import type { CloseoutStatus } from '../records-schema.js';
import { userNames } from './closeout-records.js';
import { countFilesTagged } from './latest-files.js';

/**
 * Where the engagement's closeout stands: the checklist of the playbook its latest handoff runs
 * on (none when it has no handoff, or the playbook names none), each item met or not and why, and
 * the inventory's products no operator was trained on, shown whatever the checklist says.
 */
export async function closeoutStatus(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<CloseoutStatus> {
  requireCapability(principal, 'read', 'read the closeout');
  const engagement = await loadEngagement(deps.store.db, principal.orgId, engagementId);
  return readCloseoutStatus(deps.store.db, deps.ports, principal.orgId, engagement);
}

/** The closeout status, read with `db` (the closing transaction, for closing out). */
export async function readCloseoutStatus(
  db: Db,
  ports: Ports,
  orgId: string,
  engagement: EngagementsTable,
): Promise<CloseoutStatus> {
  const handoff = await latestHandoffOf(db, orgId, engagement.id);
  const playbook = handoff ? (await playbookById(db, orgId, handoff.playbook_id)).playbook : null;
  const scoped = <T extends 'punch_items' | 'inventory_items' | 'training_records' | 'closeout_debriefs'>(
    table: T,
  ) =>
    db
      .selectFrom(table as 'punch_items')
      .where('org_id', '=', orgId)
      .where('engagement_id', '=', engagement.id);
  const [openPunchItems, items, trained, debriefs] = await Promise.all([
    scoped('punch_items')
      .select(['title', 'due_on'])
      .where('state', '=', 'open')
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('inventory_items')
      .select(['type', 'make', 'model'])
      .where('org_id', '=', orgId)
      .where('engagement_id', '=', engagement.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('training_records')
      .select('product')
      .where('org_id', '=', orgId)
      .where('engagement_id', '=', engagement.id)
      .execute(),
    db
      .selectFrom('closeout_debriefs')
      .select('held_on')
      .where('org_id', '=', orgId)
      .where('engagement_id', '=', engagement.id)
      .execute(),
  ]);
  const lead = engagement.service_lead_user_id;
  const leadName = lead ? (await userNames(db, orgId, [lead])).get(lead) : undefined;
  const serviceLead =
    lead && engagement.service_lead_introduced_at
      ? { id: lead, name: leadName ?? '(unknown user)', introduced_at: engagement.service_lead_introduced_at }
      : null;
  const orphans = orphanProducts(
    items,
    trained.map((t) => t.product),
  );
  const checklist = playbook?.closeout?.checklist ?? [];
  const judged = judgeChecklist(checklist, {
    openPunchItems,
    asBuiltFiles: checklist.includes('as_built_drawings')
      ? await countFilesTagged(db, orgId, engagement.id, 'as_built')
      : 0,
    orphanProducts: orphans,
    inventoryItems: items.length,
    serviceLead: serviceLead && { name: serviceLead.name, at: serviceLead.introduced_at },
    debriefs,
    signOff: checklist.includes('client_signed_off')
      ? await ports.clientSignOffOf(db, orgId, engagement.id)
      : null,
  });
  return {
    engagement_id: engagement.id,
    playbook: playbook ? { key: playbook.key, version: playbook.version } : null,
    items: judged,
    ready: judged.every((i) => i.met),
    orphan_products: orphans,
    service_lead: serviceLead,
    closed_out_at: engagement.closed_out_at,
  };
}
