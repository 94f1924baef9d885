import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { Playbook } from '../domain/playbook.js';
import type { PlaybookSummary } from '../playbook-definition-schema.js';

/** The organisation's playbooks, each at its latest version, with every version number. */
export async function listPlaybooks(deps: Deps, principal: Principal): Promise<PlaybookSummary[]> {
  const rows = await deps.store.db
    .selectFrom('playbooks')
    .select(['key', 'version', 'definition', 'builtin'])
    .where('org_id', '=', principal.orgId)
    .orderBy('key')
    .orderBy('version', 'desc')
    .execute();
  const out: PlaybookSummary[] = [];
  for (const row of rows) {
    const existing = out.find((p) => p.key === row.key);
    if (existing) {
      existing.versions.push(Number(row.version));
      continue;
    }
    const p = JSON.parse(row.definition) as Playbook;
    out.push({
      key: row.key,
      version: Number(row.version),
      versions: [Number(row.version)],
      name: p.name,
      description: p.description ?? null,
      builtin: row.builtin === 1,
      stages: p.stages.map((s) => ({ key: s.key, name: s.name })),
      transitions: p.transitions.map((t) => ({
        key: t.key,
        name: t.name,
        from: t.from,
        to: t.to,
        sender_team: t.senderTeam,
        receiver_team: t.receiverTeam,
      })),
    });
  }
  for (const p of out) p.versions.sort((a, b) => a - b);
  return out;
}
