import type { SheetValue, SummarySheet } from './summary-sheet.js';

/**
 * The standard PDF fonts speak WinAnsi only: characters outside it (check boxes, arrows, emoji)
 * become plain equivalents so nothing prints as garbage.
 */
export function toWinAnsi(text: string): string {
  return text
    .replace(/☑/g, '[x]')
    .replace(/☐/g, '[ ]')
    .replace(/→/g, '->')
    .replace(/[^\t\n\r\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g, '?');
}

const INK = '#1b1f24';
const MUTED = '#57606a';
const RULE = '#c9ced6';

/** The one-page handoff summary sheet as an A4 PDF, from the same model as the HTML print view. */
export async function renderSummaryPdf(s: SummarySheet): Promise<Buffer> {
  // Loaded on first use: PDFKit and its font machinery are heavy, and every CLI command imports the routes.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 40, bottom: 40, left: 44, right: 44 },
    info: { Title: toWinAnsi(`${s.title} - handoff summary`), Creator: 'Baton', Producer: 'Baton' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const t = toWinAnsi;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;

  const heading = (title: string) => {
    doc.moveDown(0.6);
    doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(t(title.toUpperCase()), left, doc.y, {
      characterSpacing: 0.4,
    });
    const y = doc.y + 1;
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.moveDown(0.3);
  };
  const pair = (label: string, value: string) => {
    doc.font('Helvetica-Bold').fontSize(9).fillColor(INK).text(t(label), left, doc.y, { continued: false });
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(value ? INK : MUTED)
      .text(t(value || 'not given'), left + 12, doc.y, {
        width: width - 12,
      });
    doc.moveDown(0.2);
  };
  const sheetValue = (v: SheetValue): string => {
    switch (v.kind) {
      case 'empty':
        return '';
      case 'text':
        return v.text;
      case 'lines':
        return v.lines.map((l) => `• ${l}`).join('\n');
      case 'table':
        return v.rows
          .map((r) => `• ${r.map((c, i) => `${v.columns[i]}: ${c || '-'}`).join('; ')}`)
          .join('\n');
    }
  };

  doc.font('Helvetica-Bold').fontSize(16).fillColor(INK).text(t(s.title), left, doc.y, { width });
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor(MUTED)
    .text(
      t(
        `${s.account} · ${s.engagement.name} · ${s.transition.name} (${s.teams.sending} → ${s.teams.receiving})`,
      ),
      { width },
    )
    .text(
      t(
        `State: ${s.state.replace('_', ' ')} · Revision ${s.revision} · ${s.playbook.name} v${s.playbook.version}${
          s.engagement.contractSignedAt
            ? ` · Contract signed ${s.engagement.contractSignedAt.slice(0, 10)}`
            : ''
        }`,
      ),
      { width },
    );
  if (s.decision) {
    doc.moveDown(0.4);
    doc
      .font('Helvetica-Bold')
      .fontSize(9.5)
      .fillColor(s.decision.outcome === 'accepted' ? '#2f6f3e' : '#a4262c')
      .text(
        t(
          `${s.decision.outcome === 'accepted' ? 'Accepted' : 'Rejected'} ${s.decision.at.slice(0, 10)}${
            s.decision.reason ? ` — ${s.decision.reason}` : ''
          }${s.decision.explanation ? `: ${s.decision.explanation}` : ''}`,
        ),
        { width },
      );
  }
  if (s.ladder.length) {
    heading('Success');
    for (const rung of s.ladder) pair(rung.label, rung.value);
  }
  if (s.scope.in.length || s.scope.out.length) {
    heading('Scope');
    pair('In scope', s.scope.in.map((i) => `• ${i}`).join('\n'));
    pair('Out of scope', s.scope.out.map((i) => `• ${i}`).join('\n'));
  }
  if (s.contacts.length) {
    heading('People');
    for (const c of s.contacts) {
      pair(c.name, [c.role.replace('_', ' '), c.title, c.email].filter(Boolean).join(' · '));
    }
  }
  if (s.promises.length) {
    heading('Promises');
    for (const p of s.promises) {
      pair(p.text, `Made by ${p.madeBy} · ${p.inContract ? 'in the contract' : 'verbal'} · ${p.status}`);
    }
  }
  for (const section of s.sections) {
    heading(section.title);
    for (const f of section.fields) pair(f.label, sheetValue(f.value));
  }
  doc.moveDown(0.8);
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor(MUTED)
    .text(
      t(
        `Questions: ${s.questions.open} open, ${s.questions.answered} answered · Generated ${s.generatedAt} by Baton`,
      ),
      left,
      doc.y,
      { width },
    );
  doc.end();
  return await done;
}
