/** Who did something: a user, or the system itself (CLI bootstrap, scheduler). */
export interface Actor {
  type: 'user' | 'system';
  id: string | null;
}

/** The system acting on its own (a timer, the CLI's bootstrap). */
export const SYSTEM: Actor = Object.freeze({ type: 'system', id: null });
