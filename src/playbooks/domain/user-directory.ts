/**
 * The users a packet's `user` fields may name: the organisation's active users, by e-mail, with
 * the keys of their teams. The server reads it from the database; the web UI builds it from the
 * users list, so both judge a packet the same way.
 *
 * Example: `userDirectory([{ email: 'olive@acme.test', teams: ['operations'] }])`.
 */
export interface UserDirectory {
  /** The team keys of the active user with this e-mail (any case), or undefined if there is none. */
  teamsOf(email: string): readonly string[] | undefined;
}

export function userDirectory(users: Iterable<{ email: string; teams: readonly string[] }>): UserDirectory {
  const byEmail = new Map<string, readonly string[]>();
  for (const user of users) byEmail.set(normaliseUserEmail(user.email), user.teams);
  return { teamsOf: (email) => byEmail.get(normaliseUserEmail(email)) };
}

/** E-mail addresses are stored trimmed and lower-cased; a packet may hold them in any case. */
export function normaliseUserEmail(email: string): string {
  return email.trim().toLowerCase();
}
