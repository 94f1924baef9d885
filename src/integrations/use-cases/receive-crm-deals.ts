import { writeDealRecords } from '../../accounts/public.js';
import { openHandoff } from '../../handoffs/public.js';
import { loadPrincipal } from '../../identity/use-cases/load-principal.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import type { Principal } from '../../kernel/principal.js';
import type { Packet } from '../../playbooks/domain/playbook.js';
import { playbookByKey } from '../../playbooks/playbook-cache.js';
import {
  type CrmKind,
  type Deal,
  hubspotDeals,
  outboundMessageOf,
  PayloadError,
  pipedriveDeals,
  salesforceDeals,
} from '../domain/crm-deals.js';
import { kindSpec } from '../domain/inbound-kinds.js';
import { mapDeal } from '../domain/inbound-mapping.js';
import { verifyBasic, verifyHubspotV3 } from '../domain/inbound-signatures.js';
import {
  completeInboundEvent,
  loadInboundSource,
  openSourceSecret,
  recordInboundEvent,
  type SourceRow,
} from '../inbound-sources.js';
import { refuse, refuseMalformed, refuseUnverified } from './refuse-inbound.js';

/** An inbound request as the route hands it: the raw bytes, the headers, where it was sent. */
export interface InboundRequest {
  sourceId: string;
  method: string;
  /** The full URL the sender called, as it would sign it (scheme, host, path, query). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** What one deal of the request became. */
export interface DealOutcome {
  external_id: string;
  outcome: 'created' | 'duplicate' | 'ignored';
  account_id: string | null;
  engagement_id: string | null;
  contact_id: string | null;
  handoff_id: string | null;
  /** Values left out or missing (each on the draft too), and values no mapping takes. */
  problems: ErrorDetail[];
}

export interface CrmAnswer {
  kind: CrmKind;
  source_id: string;
  deals: DealOutcome[];
}

/**
 * A CRM says deals are won (`POST /api/v1/inbound/crm/{source}`, docs/integrations-inbound.md):
 * the request is verified by its source's scheme (refused and recorded with the reason otherwise),
 * split into deals, and each won deal, in its own transaction, becomes an account (or the one it
 * names already), a contact, an engagement and a draft handoff pre-filled through the playbook's
 * `inbound` mapping; a deal whose event id was seen before is a `duplicate` and writes nothing.
 */
export async function receiveCrmDeals(deps: Deps, request: InboundRequest): Promise<CrmAnswer> {
  const db = deps.store.db;
  const source = await loadInboundSource(db, request.sourceId);
  const spec = source && kindSpec(source.kind);
  if (!source || !spec || spec.purpose !== 'crm' || !source.enabled)
    throw new AppError('not_found', 'No such inbound source, or it is disabled.');
  const kind = source.kind as CrmKind;
  const config = JSON.parse(source.config) as Record<string, unknown>;
  const now = deps.clock.now();

  const deals = await verifiedDeals(deps, source, kind, config, request, now);
  const playbook = await playbookByKey(db, source.org_id, String(config.playbook)).catch(() => undefined);
  const inbound = playbook?.playbook.inbound;
  const transition = inbound && playbook.transition(inbound.transition);
  const principal = source.created_by ? await loadPrincipal(db, source.org_id, source.created_by) : null;
  const why = !transition
    ? `the playbook ${String(config.playbook)} has no inbound mapping (or no such playbook)`
    : principal?.role !== 'admin'
      ? 'the administrator who set up this source is no longer an enabled admin'
      : undefined;
  if (why || !inbound || !transition || !principal)
    return refuse(deps, source, now, 'conflict', `This source cannot open handoffs: ${why}.`, [
      { path: '/config/playbook', message: why ?? '' },
    ]);

  const outcomes: DealOutcome[] = [];
  for (const deal of deals) {
    if (!deal.won) {
      outcomes.push(
        outcome(deal, 'ignored', [{ path: '/', message: 'not a deal turning won: nothing done' }]),
      );
      continue;
    }
    outcomes.push(
      await openDeal(
        deps,
        source,
        kind,
        principal,
        playbook.playbook.key,
        inbound.transition,
        transition.def,
        inbound,
        deal,
      ),
    );
  }
  return { kind, source_id: source.id, deals: outcomes };
}

const outcome = (deal: Deal, result: DealOutcome['outcome'], problems: ErrorDetail[] = []): DealOutcome => ({
  external_id: deal.externalId,
  outcome: result,
  account_id: null,
  engagement_id: null,
  contact_id: null,
  handoff_id: null,
  problems,
});

/** Verifies the request by the source's scheme and reads its deals, or refuses (and records why). */
async function verifiedDeals(
  deps: Deps,
  source: SourceRow,
  kind: CrmKind,
  config: Record<string, unknown>,
  request: InboundRequest,
  now: Date,
): Promise<Deal[]> {
  try {
    if (kind === 'salesforce') {
      const message = outboundMessageOf(request.body);
      if (message.organizationId !== config.organization_id)
        return refuse(
          deps,
          source,
          now,
          'forbidden',
          'The message is from another Salesforce organisation.',
          [{ path: '/notifications/OrganizationId', message: 'is not the organisation this source trusts' }],
        );
      return salesforceDeals(message);
    }
    const secret = await openSourceSecret(deps.store.db, deps.vaultKeys, source);
    if (!secret) return refuseUnverified(deps, source, now, null);
    const verdict =
      kind === 'hubspot'
        ? verifyHubspotV3(
            request.headers,
            request.method,
            typeof config.request_url === 'string' ? config.request_url : request.url,
            request.body,
            secret,
            now,
          )
        : verifyBasic(
            request.headers,
            typeof config.username === 'string' ? config.username : 'baton',
            secret,
          );
    if (!verdict.ok) return refuseUnverified(deps, source, now, verdict);
    if (kind === 'hubspot')
      return hubspotDeals(
        request.body,
        Array.isArray(config.won_stages) ? (config.won_stages as string[]) : ['closedwon'],
      );
    return pipedriveDeals(request.body);
  } catch (e) {
    if (e instanceof PayloadError) return refuseMalformed(deps, source, now, e.problems);
    throw e;
  }
}

/** One won deal, in one transaction: recorded (or found a duplicate), mapped, written, its draft opened. */
async function openDeal(
  deps: Deps,
  source: SourceRow,
  kind: CrmKind,
  principal: Principal,
  playbookKey: string,
  transitionKey: string,
  transitionDef: Parameters<typeof mapDeal>[3],
  inbound: Parameters<typeof mapDeal>[2],
  deal: Deal,
): Promise<DealOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const eventId = await recordInboundEvent(trx, {
      source,
      externalId: deal.externalId,
      outcome: 'created',
      problems: [],
      summary: deal.label,
      now,
    });
    if (!eventId)
      return outcome(deal, 'duplicate', [
        { path: '/', message: 'this event was received before: nothing done' },
      ]);
    const mapped = mapDeal(kind, deal, inbound, transitionDef);
    const actor = { type: 'user' as const, id: principal.userId };
    const records = await writeDealRecords(trx, source.org_id, actor, now, mapped);
    const problems = [...mapped.invalid, ...records.problems];
    const handoff = await openDraft(
      trx,
      deps,
      principal,
      {
        engagement_id: records.engagement.id,
        playbook: playbookKey,
        transition: transitionKey,
        packet: mapped.packet,
      },
      problems,
    );
    problems.push(...mapped.unmapped);
    const result = {
      account_id: records.account.id,
      engagement_id: records.engagement.id,
      contact_id: records.contact?.id ?? null,
      handoff_id: handoff,
    };
    await completeInboundEvent(trx, eventId, {
      outcome: 'created',
      problems,
      result,
      summary: `${records.engagement.name}${handoff ? '' : ' (no new draft)'}`,
      handoffId: handoff,
    });
    return { ...outcome(deal, 'created', problems), ...result };
  });
}

/**
 * Opens the draft; a packet value the playbook refuses is left out and named in `problems` (a
 * second try without it). An engagement that already has an open handoff for the transition keeps
 * it: no second draft, and the problem says which.
 */
async function openDraft(
  trx: Parameters<typeof openHandoff>[0],
  deps: Deps,
  principal: Principal,
  input: { engagement_id: string; playbook: string; transition: string; packet: Packet },
  problems: ErrorDetail[],
): Promise<string | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await openHandoff(trx, deps, principal, input)).id;
    } catch (e) {
      if (e instanceof AppError && e.code === 'conflict' && e.extra.open_handoff) {
        problems.push({ path: '/engagement', message: e.message });
        return null;
      }
      const packetErrors =
        e instanceof AppError && e.code === 'validation_failed'
          ? e.errors.filter((p) => p.path.startsWith('/packet/'))
          : [];
      if (attempt > 0 || packetErrors.length === 0 || packetErrors.length !== (e as AppError).errors.length)
        throw e;
      for (const p of packetErrors) {
        const [, section, field] = p.path.split('/').slice(1);
        if (section && field) delete input.packet[section]?.[field];
        problems.push({ path: p.path, message: `${p.message}: left empty` });
      }
    }
  }
}
