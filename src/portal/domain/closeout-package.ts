import { createHash } from 'node:crypto';
import { canonicalJson } from '../../kernel/canonical-json.js';

/** One line of the closeout package as the client sees it. */
export interface PackageItem {
  label: string;
  value: string | null;
  /** A second line: a status, a date, who. */
  detail?: string | null;
  /** The version of an engagement's file the line shows, which the client may download. */
  file?: { id: string; version: number };
}

/**
 * One section of the closeout package: the engagement, its owner, scope, promises; and, as the
 * closeout grows, drawings, inventory, warranties, training. What the client may see only: a
 * section never carries a secret (the vault is not a section, and never will be).
 */
export interface PackageSection {
  /** Stable: `engagement`, `owner`, `scope`, `promises`, `files`, `inventory`, `warranties`, `training`… */
  key: string;
  title: string;
  items: PackageItem[];
}

/** What the client reviews and signs off: exactly this is hashed and kept with the sign-off. */
export interface CloseoutPackage {
  engagement_id: string;
  sections: PackageSection[];
}

/**
 * The SHA-256 (hex) of the canonical JSON of a package (`src/kernel/canonical-json.ts`): equal
 * packages hash equally whatever order their keys were built in, so the hash shown with the
 * package, the one the client signs and the one kept are the same.
 *
 * @example
 *   packageSha256({ engagement_id: 'e1', sections: [] }).length // 64
 */
export function packageSha256(pkg: CloseoutPackage): string {
  return canonicalSha256(pkg);
}

/** The SHA-256 (hex) of the canonical JSON of any value shown to the client. */
export function canonicalSha256(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
