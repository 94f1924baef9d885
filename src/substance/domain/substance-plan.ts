/**
 * What the substance reconciliation reads and what it answers: plain data, no database. The use
 * case (`use-cases/reconcile-substance.ts`) reads the records a submitted packet maps to, asks the
 * planner (`plan-substance.ts`) which records to add, change and remove, and hands the
 * `SubstancePlan` to the writer (`use-cases/write-substance-plan.ts`).
 */

/** A promise as the planner sees it: the columns of its row that reconciling reads. */
export interface PromiseFacts {
  readonly id: string;
  readonly text: string;
  readonly made_by: string;
  readonly in_contract: number;
  readonly status: string;
  /** 1 when a packet made it; 0 when it was recorded by hand (reconciling never changes it). */
  readonly from_packet: number;
}

/** A scope item as the planner sees it. */
export interface ScopeItemFacts {
  readonly id: string;
  readonly kind: string;
  readonly description: string;
  /** 1 when a packet made it; 0 when it was recorded by hand (reconciling never removes it). */
  readonly from_packet: number;
}

/** A contact of the account as the planner sees it. */
export interface ContactFacts {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly role: string;
}

/** The rungs of a success ladder, each a column of its row. */
export const LADDER_RUNGS = [
  'goal',
  'metric',
  'ultimate_objective',
  'earliest_signal',
  'minimum_outcome',
  'early_win',
] as const;
export type LadderRung = (typeof LADDER_RUNGS)[number];

/** The engagement's success ladder as the planner sees it. */
export type LadderFacts = { readonly id: string } & { readonly [R in LadderRung]: string | null };

/** Everything reconciling needs, read in the submit's transaction (each kind only when mapped). */
export interface SubstanceWorld {
  readonly handoffId: string;
  readonly engagementId: string;
  /** The engagement's account, whose contacts a packet names. */
  readonly accountId: string;
  /** The promises this handoff carries, made from its packet or recorded by hand. */
  readonly promises: readonly PromiseFacts[];
  /** The scope items this handoff carries, in and out, made from its packet or recorded by hand. */
  readonly scopeItems: readonly ScopeItemFacts[];
  /** The account's contacts. */
  readonly contacts: readonly ContactFacts[];
  /** The engagement's success ladder, if it has one. */
  readonly ladder: LadderFacts | null;
}

/** One packet field the playbook maps to a record, with what the packet says in it. */
export interface MappedField {
  readonly mapsTo: string;
  /** For contacts: the role the field gives the people it names. */
  readonly contactRole: string | undefined;
  readonly value: unknown;
}

/** A promise to record: its row but for the organisation. */
export interface NewPromise {
  readonly id: string;
  readonly engagement_id: string;
  readonly handoff_id: string;
  readonly text: string;
  readonly made_by: string;
  readonly in_contract: number;
  readonly status: 'open';
  readonly status_note: null;
  readonly from_packet: 1;
  readonly created_at: string;
  readonly updated_at: string;
}

/** A scope item to record: its row but for the organisation. */
export interface NewScopeItem {
  readonly id: string;
  readonly engagement_id: string;
  readonly handoff_id: string;
  readonly kind: 'in' | 'out';
  readonly description: string;
  readonly from_packet: 1;
  readonly created_at: string;
  readonly updated_at: string;
}

/** A contact to create on the account: its row but for the organisation. */
export interface NewContact {
  readonly id: string;
  readonly account_id: string;
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly title: string | null;
  readonly role: string;
  readonly external_ids: '{}';
  readonly created_at: string;
  readonly updated_at: string;
}

/** A success ladder to record: its row but for the organisation. */
export type NewLadder = {
  readonly id: string;
  readonly engagement_id: string;
  readonly handoff_id: string;
  readonly updated_at: string;
} & { readonly [R in LadderRung]: string | null };

/** A record to change: which, and the columns it gets. */
export interface RecordChange<S> {
  readonly id: string;
  readonly set: S;
}

/** An audit entry to append, in the order the plan decided it (actor and time are the writer's). */
export interface SubstanceAuditEntry {
  readonly action:
    | 'promise.recorded'
    | 'promise.updated'
    | 'promise.removed'
    | 'scope_item.recorded'
    | 'scope_item.removed'
    | 'contact.created'
    | 'contact.updated'
    | 'success_ladder.recorded'
    | 'success_ladder.updated';
  readonly entityType: 'promise' | 'scope_item' | 'contact' | 'success_ladder';
  readonly entityId: string;
  readonly handoffId: string;
  readonly engagementId: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** Which records a submit adds, changes and removes, written together by `writeSubstancePlan`. */
export interface SubstancePlan {
  readonly promises: {
    readonly add: readonly NewPromise[];
    readonly change: readonly RecordChange<{ made_by: string; in_contract: number; updated_at: string }>[];
    readonly remove: readonly PromiseFacts[];
  };
  readonly scopeItems: {
    readonly add: readonly NewScopeItem[];
    readonly remove: readonly ScopeItemFacts[];
  };
  readonly contacts: {
    /** With their final role (one named twice in a packet is created once). */
    readonly add: readonly NewContact[];
    readonly change: readonly RecordChange<{ role: string; updated_at: string }>[];
  };
  readonly ladder: {
    readonly add: NewLadder | null;
    readonly change: RecordChange<
      Partial<Record<LadderRung, string>> & {
        handoff_id: string;
        updated_at: string;
      }
    > | null;
  };
  readonly audit: readonly SubstanceAuditEntry[];
}

/** True when the plan changes nothing. */
export function isEmptySubstancePlan(plan: SubstancePlan): boolean {
  return (
    plan.promises.add.length + plan.promises.change.length + plan.promises.remove.length === 0 &&
    plan.scopeItems.add.length + plan.scopeItems.remove.length === 0 &&
    plan.contacts.add.length + plan.contacts.change.length === 0 &&
    plan.ladder.add === null &&
    plan.ladder.change === null &&
    plan.audit.length === 0
  );
}
