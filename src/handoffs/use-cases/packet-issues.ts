import type { ErrorDetail } from '../../kernel/errors.js';
import type { PacketValidator } from '../../playbooks/playbook-cache.js';

/** Packet issues as API error details: pointers into the handoff resource (`/packet/...`). */
export function asDetails(result: ReturnType<PacketValidator['checkReadiness']>): ErrorDetail[] {
  if (result.ready) return [];
  return result.issues.map((i) => ({ path: `/packet${i.path}`, message: i.message, code: i.code }));
}

/** What an in-progress packet gets wrong (types, unknown fields); missing values are fine. */
export function draftIssues(validator: PacketValidator, packet: unknown): ErrorDetail[] {
  return asDetails(validator.checkDraft(packet));
}

/** Everything standing between this packet and a submit. */
export function readinessIssues(validator: PacketValidator, packet: unknown): ErrorDetail[] {
  return asDetails(validator.checkReadiness(packet));
}
