/**
 * The engagement was closed out: the event the portal subscribes to, to send the survey. The
 * closeout feature (`src/closeout/`) publishes it; on this branch it is declared here, only as the
 * type the portal subscribes to, for the merge to unify with the closeout's own declaration.
 */
export interface CloseoutEvents {
  'engagement.closed_out': { engagementId: string };
}

declare module '../../kernel/event-types.js' {
  interface DomainEvents extends CloseoutEvents {}
}
