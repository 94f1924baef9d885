import { escapeMarkdown, escapeMarkdownLines } from '../../kernel/escape/markdown.js';
import type { SheetValue, SummarySheet } from './summary-sheet.js';

// Every value of the sheet (names, packet text, playbook labels, dates) passes through `md`; only
// the sheet's own structure is written as Markdown.
const md = escapeMarkdown;

function value(v: SheetValue): string {
  switch (v.kind) {
    case 'empty':
      return '';
    case 'text':
      return /\r|\n/.test(v.text)
        ? `\n\n${escapeMarkdownLines(v.text)
            .map((l) => `> ${l}`)
            .join('\n')}\n`
        : md(v.text);
    case 'lines':
      return `\n${v.lines.map((l) => `  - ${md(l)}`).join('\n')}`;
    case 'table':
      return `\n\n| ${v.columns.map(md).join(' | ')} |\n| ${v.columns.map(() => '---').join(' | ')} |\n${v.rows
        .map((r) => `| ${r.map(md).join(' | ')} |`)
        .join('\n')}\n`;
  }
}

/** The one-page handoff summary sheet as Markdown. */
export function renderSummaryMarkdown(s: SummarySheet): string {
  const out: string[] = [];
  out.push(`# ${md(s.title)}`, '');
  out.push(
    `**${md(s.account)}** · ${md(s.engagement.name)} · ${md(s.transition.name)}: ${md(s.teams.sending)} hands over to ${md(s.teams.receiving)}  `,
    `State: **${md(s.state.replace('_', ' '))}** · Revision ${s.revision} · Playbook ${md(s.playbook.name)} v${s.playbook.version}`,
    '',
  );
  if (s.decision) {
    out.push(
      `> **${s.decision.outcome === 'accepted' ? 'Accepted' : 'Rejected'}** ${md(s.decision.at)}${s.decision.reason ? ` — ${md(s.decision.reason)}` : ''}${s.decision.explanation ? `: ${md(s.decision.explanation)}` : ''}`,
      '',
    );
  }
  if (s.goal) out.push("## The client's goal", '', ...escapeMarkdownLines(s.goal).map((l) => `> ${l}`), '');
  if (s.ladder.length) {
    out.push('## Success ladder', '');
    for (const l of s.ladder) out.push(`- **${md(l.label)}:** ${md(l.value)}`);
    out.push('');
  }
  if (s.scope.in.length || s.scope.out.length) {
    out.push('## Scope', '');
    if (s.scope.in.length) out.push('**In scope**', '', ...s.scope.in.map((i) => `- ${md(i)}`), '');
    if (s.scope.out.length) out.push('**Out of scope**', '', ...s.scope.out.map((i) => `- ${md(i)}`), '');
  }
  if (s.promises.length) {
    out.push('## Promises', '', '| Promise | Kind | Made by | Status |', '| --- | --- | --- | --- |');
    for (const p of s.promises)
      out.push(`| ${md(p.text)} | ${md(p.kind)} | ${md(p.owner)} | ${md(p.status)} |`);
    out.push('');
  }
  if (s.people.length) {
    out.push('## People', '');
    for (const c of s.people)
      out.push(
        `- **${md(c.name)}**${c.role ? ` — ${md(c.role.replace('_', ' '))}` : ''}${c.detail ? ` · ${md(c.detail)}` : ''}`,
      );
    out.push('');
  }
  if (s.dates.length) {
    out.push('## Key dates', '');
    for (const d of s.dates) out.push(`- **${md(d.label)}:** ${md(d.value)}`);
    out.push('');
  }
  if (s.risks.length) {
    out.push('## Open risks', '');
    for (const r of s.risks) out.push(`- ${md(r)}`);
    out.push('');
  }
  for (const section of s.sections) {
    out.push(`## ${md(section.title)}`, '');
    for (const f of section.fields) out.push(`- **${md(f.label)}:** ${value(f.value)}`);
    out.push('');
  }
  out.push(`_Generated ${md(s.generatedAt)} by Baton._`, '');
  return out.join('\n');
}
