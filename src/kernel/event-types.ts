import type { Actor } from './actor.js';

/**
 * Everything that can happen in Baton, by type: each feature adds its own events here by
 * declaration merging, from a file of its `domain/`, so the kernel imports no feature and the
 * union below is still closed. For example, in `src/handoffs/handoff-events.ts`:
 *
 *   declare module '../../kernel/event-types.js' {
 *     interface DomainEvents {
 *       'handoff.accepted': { handoff: HandoffsTable; from: HandoffState; note: string | null };
 *     }
 *   }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the features, by declaration merging
export interface DomainEvents {}

export type DomainEventType = keyof DomainEvents;

/** What every event says besides its own facts: in which organisation, who, and when. */
export interface EventEnvelope {
  readonly orgId: string;
  readonly actor: Actor;
  readonly at: Date;
}

/** One event of the given type, as published. */
export type EventOf<K extends DomainEventType> = { readonly type: K } & EventEnvelope & DomainEvents[K];

/** The closed union of every event; a `switch` on `type` is checked exhaustively. */
export type DomainEvent = { [K in DomainEventType]: EventOf<K> }[DomainEventType];
