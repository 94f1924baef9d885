/** What a contact is to the deal: who buys, who champions, who decides, who runs it day to day. */
export const CONTACT_ROLES = ['buyer', 'champion', 'decision_maker', 'operator', 'sponsor', 'other'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export function isContactRole(value: string): value is ContactRole {
  return (CONTACT_ROLES as readonly string[]).includes(value);
}
