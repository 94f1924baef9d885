import type { Db } from '../kernel/context.js';
import { AppError, type ErrorDetail } from '../kernel/errors.js';
import { type MetricFilterInput, type MetricFilters, monthRange } from './domain/metric-filters.js';

/**
 * Checks a metric's filters against the organisation: the months (`YYYY-MM`, `to` not before
 * `from`), the team (its id or key), the sender (a user's id or e-mail address) and the playbook
 * (a version's id), each of the organisation. Throws one 400 naming every bad parameter by path,
 * with `extra` problems found by the caller (a bad `by`).
 */
export async function resolveFilters(
  db: Db,
  orgId: string,
  input: MetricFilterInput,
  extra: ErrorDetail[] = [],
): Promise<MetricFilters> {
  const issues: ErrorDetail[] = [];
  const { from, to } = monthRange(input, issues);
  const given = (value: string | undefined) => (value === undefined || value === '' ? null : value);
  const teamAsked = given(input.team);
  const senderAsked = given(input.sender);
  const playbookAsked = given(input.playbook);
  const team = teamAsked
    ? await db
        .selectFrom('teams')
        .select('id')
        .where('org_id', '=', orgId)
        .where((eb) => eb.or([eb('id', '=', teamAsked), eb('key', '=', teamAsked)]))
        .executeTakeFirst()
    : undefined;
  if (teamAsked && !team) issues.push({ path: '/team', message: 'is no team of the organisation' });
  const sender = senderAsked
    ? await db
        .selectFrom('users')
        .select('id')
        .where('org_id', '=', orgId)
        .where((eb) =>
          eb.or([eb('id', '=', senderAsked), eb('email', '=', senderAsked.trim().toLowerCase())]),
        )
        .executeTakeFirst()
    : undefined;
  if (senderAsked && !sender) issues.push({ path: '/sender', message: 'is no user of the organisation' });
  const playbook = playbookAsked
    ? await db
        .selectFrom('playbooks')
        .select('id')
        .where('org_id', '=', orgId)
        .where('id', '=', playbookAsked)
        .executeTakeFirst()
    : undefined;
  if (playbookAsked && !playbook)
    issues.push({ path: '/playbook', message: 'is no playbook version of the organisation' });
  issues.push(...extra);
  if (issues.length) throw new AppError('validation_failed', 'The metric filters are not valid.', issues);
  return { from, to, team: team?.id ?? null, sender: sender?.id ?? null, playbook: playbook?.id ?? null };
}
