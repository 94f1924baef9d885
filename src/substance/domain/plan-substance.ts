import type { Packet, TransitionDef } from '../../playbooks/domain/playbook.js';
import {
  type ContactFacts,
  LADDER_RUNGS,
  type LadderRung,
  type MappedField,
  type NewContact,
  type NewLadder,
  type NewPromise,
  type NewScopeItem,
  type ScopeItemFacts,
  type SubstanceAuditEntry,
  type SubstancePlan,
  type SubstanceWorld,
} from './substance-plan.js';

/** Whether a packet made the record (so reconciling may change or remove it), not a person by hand. */
const fromPacket = (record: { from_packet: number }) => Number(record.from_packet) === 1;

/** How two texts are compared: case, surrounding and repeated spaces do not count. */
const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The fields of a transition the playbook maps to records (`maps_to`), with what the packet says
 * in each, in the order the template lists them.
 *
 * Example: a `promises.promises` field marked `maps_to: promises` answers
 * `{ mapsTo: 'promises', contactRole: undefined, value: [{ text: 'Weekly call' }] }`.
 */
export function mappedFields(transition: TransitionDef, packet: Packet): MappedField[] {
  return transition.sections.flatMap((section) =>
    section.fields.flatMap((field) =>
      field.mapsTo
        ? [{ mapsTo: field.mapsTo, contactRole: field.contactRole, value: packet[section.key]?.[field.key] }]
        : [],
    ),
  );
}

/**
 * Which records reconciling the mapped fields reads: the handoff's promises, its scope items, the
 * account's contacts, the engagement's success ladder (only when a rung is filled in).
 */
export function recordsToRead(mapped: readonly MappedField[]): {
  promises: boolean;
  scopeItems: boolean;
  contacts: boolean;
  ladder: boolean;
} {
  return {
    promises: mapped.some((m) => m.mapsTo === 'promises'),
    scopeItems: mapped.some((m) => m.mapsTo === 'scope_in' || m.mapsTo === 'scope_out'),
    contacts: mapped.some((m) => m.mapsTo === 'contacts'),
    ladder: Object.keys(ladderOf(mapped)).length > 0,
  };
}

/** The rungs the mapped fields fill in (a blank one says nothing). */
function ladderOf(mapped: readonly MappedField[]): Partial<Record<LadderRung, string>> {
  const ladder: Partial<Record<LadderRung, string>> = {};
  for (const m of mapped) {
    const rung = m.mapsTo.startsWith('success.') ? (m.mapsTo.slice('success.'.length) as LadderRung) : null;
    if (rung && LADDER_RUNGS.includes(rung) && typeof m.value === 'string' && m.value.trim())
      ladder[rung] = m.value.trim();
  }
  return ladder;
}

/**
 * What the engagement's records must become for them to say what the submitted packet says:
 * promises and scope items this handoff carries are added, changed (a promise's maker or
 * contract flag) and removed to match the packet, a promise only while still open; people the
 * packet names are found on the account (by id, e-mail, then name) or created, and one filed
 * under `other` takes the role the packet gives; the success ladder takes every rung the packet
 * fills in. Each change has its audit entry, in the order decided. Pure: `newId` names new records.
 *
 * Records recorded by hand and tied to the handoff count as there (the packet adds no copy of
 * them) but are never changed or removed.
 *
 * Example: `planSubstance(world, mappedFields(transition, packet), { now, newId })` on a packet
 * that no longer lists "Weekly call" removes that promise (if still open) and audits the removal.
 */
export function planSubstance(
  world: SubstanceWorld,
  mapped: readonly MappedField[],
  ctx: { now: Date; newId: () => string },
): SubstancePlan {
  const audit: SubstanceAuditEntry[] = [];
  const planning: Planning = {
    world,
    now: ctx.now.toISOString(),
    newId: ctx.newId,
    audit: (action, entityType, entityId, before, after) =>
      audit.push({
        action,
        entityType,
        entityId,
        handoffId: world.handoffId,
        engagementId: world.engagementId,
        before,
        after,
      }),
  };
  return {
    promises: planPromises(planning, mapped),
    scopeItems: planScopeItems(planning, mapped),
    contacts: planContacts(planning, mapped),
    ladder: planLadder(planning, mapped),
    audit,
  };
}

/** What each part of the plan is made with. */
interface Planning {
  world: SubstanceWorld;
  now: string;
  newId: () => string;
  audit: (
    action: SubstanceAuditEntry['action'],
    entityType: SubstanceAuditEntry['entityType'],
    entityId: string,
    before: unknown,
    after: unknown,
  ) => void;
}

function planPromises(p: Planning, mapped: readonly MappedField[]): SubstancePlan['promises'] {
  const fields = mapped.filter((m) => m.mapsTo === 'promises');
  if (fields.length === 0) return { add: [], change: [], remove: [] };
  const wanted = fields.flatMap((m) => (Array.isArray(m.value) ? m.value : [])) as ({
    text?: string;
    made_by?: string;
    in_contract?: boolean;
  } | null)[];
  const seen = new Set<string>();
  const add: NewPromise[] = [];
  const change: SubstancePlan['promises']['change'][number][] = [];
  for (const promise of wanted) {
    if (typeof promise?.text !== 'string' || !promise.text.trim()) continue;
    const key = norm(promise.text);
    if (seen.has(key)) continue;
    seen.add(key);
    const madeBy = (promise.made_by ?? '').trim() || 'unknown';
    const inContract = promise.in_contract === true ? 1 : 0;
    // The packet's own record of it if there is one; else one recorded by hand, which it leaves be.
    const found =
      p.world.promises.find((e) => fromPacket(e) && norm(e.text) === key) ??
      p.world.promises.find((e) => norm(e.text) === key);
    if (!found) {
      const row: NewPromise = {
        id: p.newId(),
        engagement_id: p.world.engagementId,
        handoff_id: p.world.handoffId,
        text: promise.text.trim(),
        made_by: madeBy,
        in_contract: inContract,
        status: 'open',
        status_note: null,
        from_packet: 1,
        created_at: p.now,
        updated_at: p.now,
      };
      add.push(row);
      p.audit('promise.recorded', 'promise', row.id, null, {
        text: row.text,
        made_by: madeBy,
        in_contract: !!inContract,
      });
    } else if (fromPacket(found) && (found.made_by !== madeBy || Number(found.in_contract) !== inContract)) {
      change.push({ id: found.id, set: { made_by: madeBy, in_contract: inContract, updated_at: p.now } });
      p.audit(
        'promise.updated',
        'promise',
        found.id,
        { made_by: found.made_by, in_contract: !!Number(found.in_contract) },
        { made_by: madeBy, in_contract: !!inContract },
      );
    }
  }
  // Only an open promise goes with the packet: one kept, broken or renegotiated since is history.
  const remove = p.world.promises.filter(
    (e) => fromPacket(e) && !seen.has(norm(e.text)) && e.status === 'open',
  );
  for (const e of remove) p.audit('promise.removed', 'promise', e.id, { text: e.text }, null);
  return { add, change, remove };
}

function planScopeItems(p: Planning, mapped: readonly MappedField[]): SubstancePlan['scopeItems'] {
  const add: NewScopeItem[] = [];
  const remove: ScopeItemFacts[] = [];
  for (const kind of ['in', 'out'] as const) {
    const fields = mapped.filter((m) => m.mapsTo === `scope_${kind}`);
    if (fields.length === 0) continue;
    const wanted = fields
      .flatMap((m) => (Array.isArray(m.value) ? m.value : []))
      .map((v) =>
        typeof v === 'string'
          ? v
          : typeof v === 'object' && v
            ? (v as { description?: string }).description
            : undefined,
      )
      .filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    const existing = p.world.scopeItems.filter((e) => e.kind === kind);
    const seen = new Set<string>();
    for (const description of wanted) {
      const key = norm(description);
      if (seen.has(key)) continue;
      seen.add(key);
      if (existing.some((e) => norm(e.description) === key)) continue;
      const row: NewScopeItem = {
        id: p.newId(),
        engagement_id: p.world.engagementId,
        handoff_id: p.world.handoffId,
        kind,
        description: description.trim(),
        from_packet: 1,
        created_at: p.now,
        updated_at: p.now,
      };
      add.push(row);
      p.audit('scope_item.recorded', 'scope_item', row.id, null, { kind, description: row.description });
    }
    for (const e of existing) {
      if (!fromPacket(e) || seen.has(norm(e.description))) continue;
      remove.push(e);
      p.audit('scope_item.removed', 'scope_item', e.id, { kind, description: e.description }, null);
    }
  }
  return { add, remove };
}

/** A person a packet names, as a contact field holds them. */
interface Person {
  name?: string;
  role?: string;
  email?: string;
  phone?: string;
  contact_id?: string;
}

function planContacts(p: Planning, mapped: readonly MappedField[]): SubstancePlan['contacts'] {
  const add: NewContact[] = [];
  const change: SubstancePlan['contacts']['change'][number][] = [];
  const people = mapped
    .filter((m) => m.mapsTo === 'contacts')
    .flatMap((m) =>
      (Array.isArray(m.value) ? m.value : m.value ? [m.value] : []).map((v) => ({
        value: v as Person | null,
        role: m.contactRole ?? 'other',
      })),
    );
  // The account's contacts as the plan leaves them: the ones it creates, and the roles it gives.
  const contacts: { facts: ContactFacts; role: string; added?: number }[] = p.world.contacts.map((facts) => ({
    facts,
    role: facts.role,
  }));
  const contactOf = (person: Person) => {
    const email = person.email?.trim().toLowerCase() || null;
    const name = norm(person.name!);
    return (
      contacts.find((c) => person.contact_id && c.facts.id === person.contact_id) ??
      contacts.find((c) => email && c.facts.email?.toLowerCase() === email) ??
      contacts.find((c) => norm(c.facts.name) === name)
    );
  };
  const named = people.filter(
    (person): person is { value: Person; role: string } => !!person.value?.name?.trim(),
  );
  // Everyone no contact answers to is created first, and only then is each person matched: so a
  // packet that names one person with another's e-mail finds, on a second submit, the contacts
  // the first one left, as the first one did.
  for (const { value, role } of named) {
    if (contactOf(value)) continue;
    const row: NewContact = {
      id: p.newId(),
      account_id: p.world.accountId,
      name: value.name!.trim(),
      email: value.email?.trim().toLowerCase() || null,
      phone: value.phone?.trim() || null,
      title: value.role?.trim() || null,
      role,
      external_ids: '{}',
      created_at: p.now,
      updated_at: p.now,
    };
    contacts.push({ facts: row, role, added: add.length });
    add.push(row);
    p.audit('contact.created', 'contact', row.id, null, { name: row.name, role, title: row.title });
  }
  for (const { value, role } of named) {
    const found = contactOf(value)!;
    if (found.role === role || found.role !== 'other') continue;
    // A contact created above is still to be written: it is written with its new role.
    if (found.added !== undefined) add[found.added] = { ...add[found.added]!, role };
    else change.push({ id: found.facts.id, set: { role, updated_at: p.now } });
    p.audit('contact.updated', 'contact', found.facts.id, { role: found.role }, { role });
    found.role = role;
  }
  return { add, change };
}

function planLadder(p: Planning, mapped: readonly MappedField[]): SubstancePlan['ladder'] {
  const ladder = ladderOf(mapped);
  if (Object.keys(ladder).length === 0) return { add: null, change: null };
  const existing = p.world.ladder;
  if (!existing) {
    const add = {
      id: p.newId(),
      engagement_id: p.world.engagementId,
      handoff_id: p.world.handoffId,
      ...Object.fromEntries(LADDER_RUNGS.map((rung) => [rung, ladder[rung] ?? null])),
      updated_at: p.now,
    } as NewLadder;
    p.audit('success_ladder.recorded', 'success_ladder', add.id, null, ladder);
    return { add, change: null };
  }
  const changed = Object.fromEntries(
    Object.entries(ladder).filter(([rung, value]) => existing[rung as LadderRung] !== value),
  ) as Partial<Record<LadderRung, string>>;
  if (Object.keys(changed).length === 0) return { add: null, change: null };
  const before = Object.fromEntries(Object.keys(changed).map((rung) => [rung, existing[rung as LadderRung]]));
  p.audit('success_ladder.updated', 'success_ladder', existing.id, before, changed);
  return {
    add: null,
    change: { id: existing.id, set: { ...changed, handoff_id: p.world.handoffId, updated_at: p.now } },
  };
}
