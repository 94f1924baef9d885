import type { Db } from '../../kernel/context.js';
import { localMonth } from '../domain/fact-rows.js';

const KEEP_MS = 60_000;
const zones = new Map<string, { zone: string; until: number }>();

/**
 * The organisation's local month of an instant (`YYYY-MM`), the period a fact is counted in. The
 * organisation's time zone is read once a minute per process: a fact takes the zone of the
 * moment it is written, and a zone changed since moves no fact already written.
 */
export async function periodOf(db: Db, orgId: string, at: Date | string): Promise<string> {
  const instant = typeof at === 'string' ? new Date(at) : at;
  return localMonth(instant, await timeZoneOf(db, orgId));
}

async function timeZoneOf(db: Db, orgId: string): Promise<string> {
  const now = Date.now();
  const known = zones.get(orgId);
  if (known && known.until > now) return known.zone;
  const org = await db
    .selectFrom('organisations')
    .select('time_zone')
    .where('id', '=', orgId)
    .executeTakeFirst();
  const zone = org?.time_zone ?? 'UTC';
  zones.set(orgId, { zone, until: now + KEEP_MS });
  return zone;
}
