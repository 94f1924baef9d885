import { escapeHtml } from '../../kernel/escape/html.js';
import type { SheetValue, SummarySheet } from './summary-sheet.js';

function value(v: SheetValue): string {
  switch (v.kind) {
    case 'empty':
      return '';
    case 'text':
      return `<span class="text">${escapeHtml(v.text)}</span>`;
    case 'lines':
      return `<ul>${v.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`;
    case 'table':
      return `<table><thead><tr>${v.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${v.rows
        .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
  }
}

const STYLE = `
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
header { border-bottom: 2px solid #1b1f24; padding-bottom: 4pt; margin-bottom: 6pt; }
h1 { font-size: 15pt; margin: 0 0 2pt; }
h2 { font-size: 10.5pt; text-transform: uppercase; letter-spacing: .04em; margin: 8pt 0 3pt; border-bottom: 1px solid #c9ced6; }
.meta { color: #444c56; margin: 0; }
.badge { display: inline-block; padding: 0 6pt; border-radius: 8pt; background: #e7ecf2; font-weight: 600; }
.decision { padding: 4pt 6pt; border-left: 3px solid #2f6f3e; background: #eef6f0; margin: 4pt 0; }
.decision.rejected { border-color: #a4262c; background: #fbeeee; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 12pt; }
dl { margin: 0; display: grid; grid-template-columns: 34% 66%; gap: 1pt 6pt; }
dt { font-weight: 600; color: #2d333b; }
dd { margin: 0; white-space: pre-wrap; }
ul { margin: 0; padding-left: 12pt; }
table { border-collapse: collapse; width: 100%; margin: 1pt 0; }
th, td { border: 1px solid #c9ced6; padding: 1pt 3pt; text-align: left; vertical-align: top; }
th { background: #f3f5f8; }
.goal { font-size: 11.5pt; margin: 2pt 0 4pt; }
footer { margin-top: 8pt; color: #57606a; font-size: 8.5pt; }
@media print { body { padding: 0; } a { color: inherit; text-decoration: none; } }
`;

/** The one-page handoff summary sheet as a standalone, printable HTML document. */
export function renderSummaryHtml(s: SummarySheet): string {
  const e = escapeHtml;
  const list = (items: string[]) => `<ul>${items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
  const section = (title: string, body: string) => `<section><h2>${e(title)}</h2>${body}</section>`;
  const pairs = (rows: { label: string; value: string }[]) =>
    `<dl>${rows.map((r) => `<dt>${e(r.label)}</dt><dd>${e(r.value)}</dd>`).join('')}</dl>`;
  const decision = s.decision
    ? `<p class="decision ${e(s.decision.outcome)}"><strong>${s.decision.outcome === 'accepted' ? 'Accepted' : 'Rejected'}</strong> ${e(s.decision.at)}${s.decision.reason ? ` — ${e(s.decision.reason)}` : ''}${s.decision.explanation ? `: ${e(s.decision.explanation)}` : ''}</p>`
    : '';
  const blocks = [
    s.goal ? section("The client's goal", `<p class="goal">${e(s.goal)}</p>`) : '',
    s.ladder.length ? section('Success ladder', pairs(s.ladder)) : '',
    s.scope.in.length || s.scope.out.length
      ? section(
          'Scope',
          `<div class="grid"><div><strong>In scope</strong>${list(s.scope.in)}</div><div><strong>Out of scope</strong>${list(s.scope.out)}</div></div>`,
        )
      : '',
    s.promises.length
      ? section(
          'Promises',
          `<table><thead><tr><th scope="col">Promise</th><th scope="col">Kind</th><th scope="col">Made by</th><th scope="col">Status</th></tr></thead><tbody>${s.promises
            .map(
              (p) =>
                `<tr><td>${e(p.text)}</td><td>${e(p.kind)}</td><td>${e(p.owner)}</td><td>${e(p.status)}</td></tr>`,
            )
            .join('')}</tbody></table>`,
        )
      : '',
    s.people.length
      ? section(
          'People',
          `<ul>${s.people
            .map(
              (c) =>
                `<li><strong>${e(c.name)}</strong>${c.role ? ` — ${e(c.role.replace('_', ' '))}` : ''}${c.detail ? ` · ${e(c.detail)}` : ''}</li>`,
            )
            .join('')}</ul>`,
        )
      : '',
    s.dates.length ? section('Key dates', pairs(s.dates)) : '',
    s.risks.length ? section('Open risks', list(s.risks)) : '',
    ...s.sections.map((sec) =>
      section(
        sec.title,
        `<dl>${sec.fields.map((f) => `<dt>${e(f.label)}</dt><dd>${value(f.value)}</dd>`).join('')}</dl>`,
      ),
    ),
  ].join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(s.title)} — handoff summary</title><style>${STYLE}</style></head>
<body><main>
<header><h1>${e(s.title)}</h1>
<p class="meta"><strong>${e(s.account)}</strong> · ${e(s.engagement.name)} · ${e(s.transition.name)}: ${e(s.teams.sending)} hands over to ${e(s.teams.receiving)}</p>
<p class="meta"><span class="badge">${e(s.state.replace('_', ' '))}</span> Revision ${s.revision} · ${e(s.playbook.name)} v${s.playbook.version}</p>
${decision}</header>
${blocks}
<footer>Generated ${e(s.generatedAt)} by Baton</footer>
</main></body></html>
`;
}
