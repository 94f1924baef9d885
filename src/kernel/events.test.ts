import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_PORTS } from '../../test/support/no-ports.js';
import { DIALECTS, openTestStore } from '../../test/support/stores.js';
import { SYSTEM } from './actor.js';
import { type Deps, inTransaction, type Tx } from './context.js';
import type { Store } from './db/dialect.js';
import type { HandoffsTable } from './db/schema.js';
import type { DomainEvent, EventOf } from './event-types.js';
import { publish, Subscribers } from './events.js';

// Real event types, so the test speaks the registry's language; their facts do not matter here.
const handoff = { id: 'h1', org_id: 'org' } as HandoffsTable;
const at = new Date('2026-03-02T09:00:00Z');
const overdue: EventOf<'handoff.review_overdue'> = {
  type: 'handoff.review_overdue',
  orgId: 'org',
  actor: SYSTEM,
  at,
  handoff,
  window: '2 business days after submitted',
};
const questioned = { ...overdue, type: 'handoff.question_asked' } as unknown as DomainEvent;

describe('Subscribers', () => {
  it('runs the subscribers of a type, and those of every type, in the order they were registered', async () => {
    const ran: string[] = [];
    const note = (name: string) => async (_trx: Tx, e: DomainEvent) => {
      ran.push(`${name}:${e.type}`);
    };
    const subscribers = Subscribers.empty()
      .onEvery('first', note('every1'))
      .on('handoff.review_overdue', 'a', note('a'))
      .on('handoff.question_asked', 'other type', note('other'))
      .onEvery('later', note('every2'))
      .on('handoff.review_overdue', 'b', note('b'));
    expect(subscribers.names('handoff.review_overdue')).toEqual(['first', 'a', 'later', 'b']);
    expect(subscribers.names('handoff.question_asked')).toEqual(['first', 'other type', 'later']);
    expect(subscribers.names('handoff.closed')).toEqual(['first', 'later']);
    for (const s of subscribers.of('handoff.review_overdue')) await s.run({} as Tx, overdue);
    expect(ran).toEqual([
      'every1:handoff.review_overdue',
      'a:handoff.review_overdue',
      'every2:handoff.review_overdue',
      'b:handoff.review_overdue',
    ]);
  });

  it('is immutable: extending a registry leaves the one it came from as it was', () => {
    const base = Subscribers.empty().on('handoff.closed', 'base', async () => {});
    const extended = base.on('handoff.closed', 'test', async () => {}).onEvery('observer', async () => {});
    expect(base.names('handoff.closed')).toEqual(['base']);
    expect(base.names('handoff.created')).toEqual([]);
    expect(extended.names('handoff.closed')).toEqual(['base', 'test', 'observer']);
  });
});

describe.each(DIALECTS)('publish on %s', (dialect) => {
  let store: Store;
  const deps = (subscribers: Subscribers): Deps => ({
    store,
    clock: { now: () => at },
    subscribers,
    ports: NO_PORTS,
  });
  // What a transaction wrote, read after it: organisations whose slug marks them as the test's.
  const written = async () =>
    (await store.db.selectFrom('organisations').select('id').where('slug', 'like', 'probe-%').execute()).map(
      (r) => r.id,
    );
  const probe = async (trx: Tx, id: string): Promise<void> => {
    await trx
      .insertInto('organisations')
      .values({
        id,
        slug: `probe-${id}`,
        name: 'Probe',
        time_zone: 'UTC',
        audit_seq: 0,
        audit_head: '0'.repeat(64),
        created_at: at.toISOString(),
      })
      .execute();
  };

  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => store.close());

  it('runs each subscriber inside the publishing transaction: what it writes commits with it', async () => {
    let seenInside: string[] = [];
    const subscribers = Subscribers.empty().on('handoff.review_overdue', 'probe', async (trx) => {
      await probe(trx, `${dialect}-a`);
      // The transaction's own earlier write is visible to the subscriber: it is inside it.
      seenInside = (
        await trx.selectFrom('organisations').select('id').where('slug', 'like', 'probe-%').execute()
      ).map((r) => r.id);
    });
    await inTransaction(deps(subscribers), async (trx) => {
      await probe(trx, `${dialect}-before`);
      await publish(trx, overdue);
    });
    expect(seenInside.sort()).toEqual([`${dialect}-a`, `${dialect}-before`]);
    expect((await written()).sort()).toEqual([`${dialect}-a`, `${dialect}-before`]);
  });

  it("a subscriber's failure fails the publisher and rolls back the whole transaction", async () => {
    const failure = new Error('the subscriber refuses');
    const subscribers = Subscribers.empty()
      .on('handoff.review_overdue', 'writes', async (trx) => probe(trx, `${dialect}-rolled-back`))
      .on('handoff.review_overdue', 'fails', async () => {
        throw failure;
      })
      .on('handoff.review_overdue', 'never runs', async (trx) => probe(trx, `${dialect}-never`));
    const before = await written();
    await expect(
      inTransaction(deps(subscribers), async (trx) => {
        await probe(trx, `${dialect}-publisher`);
        await publish(trx, overdue);
      }),
    ).rejects.toBe(failure);
    expect(await written()).toEqual(before);
  });

  it('refuses to publish in a transaction opened without subscribers', async () => {
    await expect(store.db.transaction().execute((trx) => publish(trx, overdue))).rejects.toThrow(
      /Cannot publish handoff.review_overdue: the transaction was not opened by inTransaction/,
    );
  });

  it('refuses events that publish events without end', async () => {
    const subscribers = Subscribers.empty()
      .on('handoff.review_overdue', 'ping', (trx) => publish(trx, questioned))
      .on('handoff.question_asked', 'pong', (trx) => publish(trx, overdue));
    await expect(inTransaction(deps(subscribers), (trx) => publish(trx, overdue))).rejects.toThrow(
      /Events nested 16 deep/,
    );
  });
});
