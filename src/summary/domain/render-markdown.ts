import { escapeMarkdown, escapeMarkdownLines } from '../../kernel/escape/markdown.js';
import type { SheetValue, SummarySheet } from './summary-sheet.js';

// Every value of the sheet (names, packet text, playbook labels, dates) passes through `md`; only
// the sheet's own structure is written as Markdown.
const md = escapeMarkdown;

function value(v: SheetValue): string {
  switch (v.kind) {
    case 'empty':
      return '_(not given)_';
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
    `**${md(s.account)}** · ${md(s.engagement.name)} · ${md(s.transition.name)} (${md(s.teams.sending)} → ${md(s.teams.receiving)})  `,
    `State: **${md(s.state.replace('_', ' '))}** · Revision ${s.revision} · Playbook ${md(s.playbook.name)} v${s.playbook.version}` +
      (s.engagement.contractSignedAt
        ? ` · Contract signed ${md(s.engagement.contractSignedAt.slice(0, 10))}`
        : ''),
    '',
  );
  if (s.decision) {
    out.push(
      `> **${s.decision.outcome === 'accepted' ? 'Accepted' : 'Rejected'}** ${md(s.decision.at.slice(0, 10))}${s.decision.reason ? ` — ${md(s.decision.reason)}` : ''}${s.decision.explanation ? `: ${md(s.decision.explanation)}` : ''}`,
      '',
    );
  }
  if (s.ladder.length) {
    out.push('## Success', '');
    for (const l of s.ladder) out.push(`- **${md(l.label)}:** ${md(l.value)}`);
    out.push('');
  }
  if (s.scope.in.length || s.scope.out.length) {
    out.push('## Scope', '', '**In scope**', '');
    for (const i of s.scope.in) out.push(`- ${md(i)}`);
    out.push('', '**Out of scope**', '');
    for (const i of s.scope.out) out.push(`- ${md(i)}`);
    out.push('');
  }
  if (s.contacts.length) {
    out.push('## People', '');
    for (const c of s.contacts) {
      out.push(
        `- **${md(c.name)}** — ${md(c.role.replace('_', ' '))}${c.title ? `, ${md(c.title)}` : ''}${c.email ? ` (${md(c.email)})` : ''}`,
      );
    }
    out.push('');
  }
  if (s.promises.length) {
    out.push('## Promises', '', '| Promise | Made by | In contract | Status |', '| --- | --- | --- | --- |');
    for (const p of s.promises)
      out.push(`| ${md(p.text)} | ${md(p.madeBy)} | ${p.inContract ? 'yes' : 'verbal'} | ${md(p.status)} |`);
    out.push('');
  }
  for (const section of s.sections) {
    out.push(`## ${md(section.title)}`, '');
    for (const f of section.fields) out.push(`- **${md(f.label)}:** ${value(f.value)}`);
    out.push('');
  }
  out.push(
    `_Questions: ${s.questions.open} open, ${s.questions.answered} answered. Generated ${md(s.generatedAt)}._`,
    '',
  );
  return out.join('\n');
}
