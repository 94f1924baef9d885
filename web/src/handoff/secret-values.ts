import type { TransitionDef } from '../types.js';

type Packet = Record<string, Record<string, unknown>>;

/** The transition's `secret` fields, as [section, field]. */
function secretFields(transition: TransitionDef): [string, string][] {
  return transition.sections.flatMap((s) =>
    s.fields.filter((f) => f.type === 'secret').map((f): [string, string] => [s.key, f.key]),
  );
}

/**
 * The packet with each secret typed and not yet saved put back as it was saved (its vault
 * reference, or nothing): what may be kept on this device. A typed secret lives only in the page
 * until the server has put it in the vault.
 */
export function withoutTypedSecrets(transition: TransitionDef, packet: Packet, saved: Packet): Packet {
  let out = packet;
  for (const [s, f] of secretFields(transition)) {
    if (typeof out[s]?.[f] !== 'string') continue;
    const { [f]: _, ...rest } = out[s]!;
    const before = saved[s]?.[f];
    out = { ...out, [s]: before === undefined ? rest : { ...rest, [f]: before } };
  }
  return out;
}

/**
 * After a save: each secret typed and sent (and not typed again since) is replaced by the vault
 * reference the server answered, so the page forgets the value and does not send it twice.
 */
export function adoptSavedSecrets(
  transition: TransitionDef,
  current: Packet,
  sent: Packet,
  saved: Packet,
): Packet {
  let out = current;
  for (const [s, f] of secretFields(transition)) {
    const value = current[s]?.[f];
    if (typeof value !== 'string' || value !== sent[s]?.[f]) continue;
    out = { ...out, [s]: { ...out[s], [f]: saved[s]?.[f] } };
  }
  return out;
}
