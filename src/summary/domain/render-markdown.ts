import type { SheetValue, SummarySheet } from './summary-sheet.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function value(v: SheetValue): string {
  switch (v.kind) {
    case 'empty':
      return '_(not given)_';
    case 'text':
      return v.text.includes('\n')
        ? `\n\n${v.text
            .split('\n')
            .map((l) => `> ${l}`)
            .join('\n')}\n`
        : v.text;
    case 'lines':
      return `\n${v.lines.map((l) => `  - ${l}`).join('\n')}`;
    case 'table':
      return `\n\n| ${v.columns.map(cell).join(' | ')} |\n| ${v.columns.map(() => '---').join(' | ')} |\n${v.rows
        .map((r) => `| ${r.map(cell).join(' | ')} |`)
        .join('\n')}\n`;
  }
}

/** The one-page handoff summary sheet as Markdown. */
export function renderSummaryMarkdown(s: SummarySheet): string {
  const out: string[] = [];
  out.push(`# ${s.title}`, '');
  out.push(
    `**${s.account}** · ${s.engagement.name} · ${s.transition.name} (${s.teams.sending} → ${s.teams.receiving})  `,
    `State: **${s.state.replace('_', ' ')}** · Revision ${s.revision} · Playbook ${s.playbook.name} v${s.playbook.version}` +
      (s.engagement.contractSignedAt
        ? ` · Contract signed ${s.engagement.contractSignedAt.slice(0, 10)}`
        : ''),
    '',
  );
  if (s.decision) {
    out.push(
      `> **${s.decision.outcome === 'accepted' ? 'Accepted' : 'Rejected'}** ${s.decision.at.slice(0, 10)}${s.decision.reason ? ` — ${s.decision.reason}` : ''}${s.decision.explanation ? `: ${s.decision.explanation}` : ''}`,
      '',
    );
  }
  if (s.ladder.length) {
    out.push('## Success', '');
    for (const l of s.ladder) out.push(`- **${l.label}:** ${l.value}`);
    out.push('');
  }
  if (s.scope.in.length || s.scope.out.length) {
    out.push('## Scope', '', '**In scope**', '');
    for (const i of s.scope.in) out.push(`- ${i}`);
    out.push('', '**Out of scope**', '');
    for (const i of s.scope.out) out.push(`- ${i}`);
    out.push('');
  }
  if (s.contacts.length) {
    out.push('## People', '');
    for (const c of s.contacts) {
      out.push(
        `- **${c.name}** — ${c.role.replace('_', ' ')}${c.title ? `, ${c.title}` : ''}${c.email ? ` <${c.email}>` : ''}`,
      );
    }
    out.push('');
  }
  if (s.promises.length) {
    out.push('## Promises', '', '| Promise | Made by | In contract | Status |', '| --- | --- | --- | --- |');
    for (const p of s.promises)
      out.push(`| ${cell(p.text)} | ${cell(p.madeBy)} | ${p.inContract ? 'yes' : 'verbal'} | ${p.status} |`);
    out.push('');
  }
  for (const section of s.sections) {
    out.push(`## ${section.title}`, '');
    for (const f of section.fields) out.push(`- **${f.label}:** ${value(f.value)}`);
    out.push('');
  }
  out.push(
    `_Questions: ${s.questions.open} open, ${s.questions.answered} answered. Generated ${s.generatedAt}._`,
    '',
  );
  return out.join('\n');
}
