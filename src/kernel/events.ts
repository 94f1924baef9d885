import type { Tx } from './context.js';
import type { DomainEvent, DomainEventType, EventOf } from './event-types.js';

/**
 * A reaction to one type of event. It runs inside the transaction that published the event, so
 * what it writes lands with the change or not at all; by throwing it refuses the whole change
 * (an `AppError` reaches the caller as it was thrown). It must not reach outside the database:
 * side effects go to the outbox, which sends them after the commit.
 */
export type Subscriber<K extends DomainEventType> = (trx: Tx, event: EventOf<K>) => Promise<void>;

/** A reaction to every event (the audit trail, an observer). */
export type EverySubscriber = (trx: Tx, event: DomainEvent) => Promise<void>;

interface Registered {
  readonly name: string;
  readonly run: (trx: Tx, event: DomainEvent) => Promise<void>;
}

/**
 * Who reacts to what, in registration order. Immutable: `on` and `onEvery` answer a new registry,
 * so the composition root builds the one the processes run with (`src/server/subscribers.ts`)
 * and a test can extend it without touching anyone else's.
 *
 * @example
 *   const subscribers = Subscribers.empty()
 *     .onEvery('audit', appendAuditOf)
 *     .on('handoff.submitted', 'substance: reconcile the packet', reconcileOnSubmit);
 */
export class Subscribers {
  private constructor(
    private readonly every: readonly Registered[],
    private readonly byType: ReadonlyMap<DomainEventType, readonly Registered[]>,
  ) {}

  /** A registry with nobody in it: the start of the composition root's, and of kernel tests'. */
  static empty(): Subscribers {
    return new Subscribers([], new Map<DomainEventType, readonly Registered[]>());
  }

  /** This registry and `subscriber`, run on each event of `type` after the ones registered before. */
  on<K extends DomainEventType>(type: K, name: string, subscriber: Subscriber<K>): Subscribers {
    // Only events of `type` reach it: the registry files it under that type alone.
    const entry: Registered = { name, run: subscriber as unknown as Registered['run'] };
    return this.add(entry, [type]);
  }

  /**
   * This registry and `subscriber`, run on each event of any of `types` (a list decided elsewhere,
   * such as the event types that leave as webhooks) after the ones registered before.
   */
  onEach(types: readonly DomainEventType[], name: string, subscriber: EverySubscriber): Subscribers {
    return this.add({ name, run: subscriber }, [...types]);
  }

  /** This registry and `subscriber`, run on every event after the ones registered before. */
  onEvery(name: string, subscriber: EverySubscriber): Subscribers {
    return this.add({ name, run: subscriber }, 'every');
  }

  /** The subscribers of one type of event, in the order they run. */
  of(type: DomainEventType): readonly Registered[] {
    return this.byType.get(type) ?? this.every;
  }

  /** Their names, for the composition root's own description. */
  names(type: DomainEventType): string[] {
    return this.of(type).map((s) => s.name);
  }

  private add(entry: Registered, types: DomainEventType[] | 'every'): Subscribers {
    const byType = new Map(this.byType);
    // Per-type lists start from the every-event subscribers registered so far, so one list per
    // type holds everything in registration order and publishing reads a single array.
    if (types === 'every') {
      for (const [type, list] of byType) byType.set(type, [...list, entry]);
      return new Subscribers([...this.every, entry], byType);
    }
    for (const type of types) byType.set(type, [...(byType.get(type) ?? this.every), entry]);
    return new Subscribers(this.every, byType);
  }
}

const bound = new WeakMap<Tx, { subscribers: Subscribers; depth: number }>();

/** Deeper than this, an event's reactions publish events that publish events…: a loop, refused. */
const MAX_DEPTH = 16;

/**
 * Puts a registry in force for a transaction: called by `inTransaction` with the one its `Deps`
 * carry, so every transaction a use case runs in publishes to the composition root's subscribers.
 */
export function bindSubscribers(trx: Tx, subscribers: Subscribers): void {
  bound.set(trx, { subscribers, depth: 0 });
}

/**
 * Publishes `event` inside `trx`: runs every subscriber registered for its type, one after the
 * other in registration order, before returning. A subscriber that throws fails the publisher,
 * and so rolls back the whole transaction.
 *
 * @example
 *   await publish(trx, { type: 'promise.updated', orgId, actor, at, promise, before, after });
 */
export async function publish(trx: Tx, event: DomainEvent): Promise<void> {
  // Read as any event: a program that includes no feature (the web UI's) sees no event types.
  const { type } = event as { readonly type: DomainEventType };
  const scope = bound.get(trx);
  if (!scope) {
    throw new Error(
      `Cannot publish ${type}: the transaction was not opened by inTransaction, so it has no subscribers.`,
    );
  }
  const subscribers = scope.subscribers.of(type);
  if (subscribers.length === 0) return;
  if (scope.depth >= MAX_DEPTH) throw new Error(`Events nested ${MAX_DEPTH} deep publishing ${type}`);
  scope.depth++;
  try {
    for (const subscriber of subscribers) await subscriber.run(trx, event);
  } finally {
    scope.depth--;
  }
}

/** Publishes each event in turn (see `publish`). */
export async function publishAll(trx: Tx, events: readonly DomainEvent[]): Promise<void> {
  for (const event of events) await publish(trx, event);
}
