import type { SheetValue, SummarySheet } from './summary-sheet.js';

/**
 * The standard PDF fonts speak WinAnsi only: characters outside it (check boxes, arrows, emoji)
 * become plain equivalents so nothing prints as garbage.
 */
export function toWinAnsi(text: string): string {
  return text
    .replace(/→/g, 'to')
    .replace(/[^\t\n\r\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g, '?');
}

const INK = '#1b1f24';
const MUTED = '#57606a';
const RULE = '#c9ced6';

/** Body sizes tried in turn, largest first, until the sheet fits one page. */
const SIZES = [9, 8.5, 8, 7.5, 7, 6.5];

/**
 * The one-page handoff summary sheet as an A4 PDF, from the same model as the HTML print view:
 * laid out at the largest body size at which it fits one page (down to 6.5 pt; a sheet longer
 * than that still prints, on more pages).
 */
export async function renderSummaryPdf(s: SummarySheet): Promise<Buffer> {
  // Loaded on first use: PDFKit and its font machinery are heavy, and every CLI command imports the routes.
  const { default: PDFDocument } = await import('pdfkit');
  let pdf: { bytes: Buffer; pages: number } | undefined;
  for (const size of SIZES) {
    pdf = await layOut(PDFDocument, s, size);
    if (pdf.pages === 1) break;
  }
  return pdf!.bytes;
}

type PdfKit = typeof import('pdfkit');

async function layOut(
  PDFDocument: PdfKit,
  s: SummarySheet,
  size: number,
): Promise<{ bytes: Buffer; pages: number }> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 36, bottom: 36, left: 42, right: 42 },
    bufferPages: true,
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
    doc.moveDown(0.45);
    doc
      .font('Helvetica-Bold')
      .fontSize(size + 0.5)
      .fillColor(INK)
      .text(t(title.toUpperCase()), left, doc.y, {
        characterSpacing: 0.4,
      });
    const y = doc.y + 1;
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.moveDown(0.25);
  };
  /** "Label: value" on one line when it fits, the value wrapping under it otherwise. */
  const pair = (label: string, value: string) => {
    doc
      .font('Helvetica-Bold')
      .fontSize(size)
      .fillColor(INK)
      .text(t(`${label}: `), left, doc.y, {
        continued: true,
        width,
      });
    doc.font('Helvetica').text(t(value), { width });
    doc.moveDown(0.1);
  };
  const bullets = (lines: string[], x = left, w = width) => {
    for (const line of lines) {
      doc
        .font('Helvetica')
        .fontSize(size)
        .fillColor(INK)
        .text(t(`\u2022 ${line}`), x, doc.y, { width: w, indent: 0 });
    }
  };
  const fieldText = (v: SheetValue): string[] => {
    switch (v.kind) {
      case 'empty':
        return [];
      case 'text':
        return [v.text];
      case 'lines':
        return v.lines;
      case 'table':
        return v.rows.map((r) =>
          r
            .map((c, i) => (c ? `${v.columns[i]}: ${c}` : ''))
            .filter(Boolean)
            .join('; '),
        );
    }
  };

  doc
    .font('Helvetica-Bold')
    .fontSize(size + 6)
    .fillColor(INK)
    .text(t(s.title), left, doc.y, { width });
  doc
    .font('Helvetica')
    .fontSize(size)
    .fillColor(MUTED)
    .text(
      t(
        `${s.account} \u00b7 ${s.engagement.name} \u00b7 ${s.transition.name}: ${s.teams.sending} hands over to ${s.teams.receiving}`,
      ),
      { width },
    )
    .text(
      t(
        `State: ${s.state.replace('_', ' ')} \u00b7 Revision ${s.revision} \u00b7 ${s.playbook.name} v${s.playbook.version}`,
      ),
      { width },
    );
  if (s.decision) {
    doc.moveDown(0.3);
    doc
      .font('Helvetica-Bold')
      .fontSize(size + 0.5)
      .fillColor(s.decision.outcome === 'accepted' ? '#2f6f3e' : '#a4262c')
      .text(
        t(
          `${s.decision.outcome === 'accepted' ? 'Accepted' : 'Rejected'} ${s.decision.at}${
            s.decision.reason ? ` \u2014 ${s.decision.reason}` : ''
          }${s.decision.explanation ? `: ${s.decision.explanation}` : ''}`,
        ),
        { width },
      );
  }
  if (s.goal) {
    heading("The client's goal");
    doc
      .font('Helvetica-Oblique')
      .fontSize(size + 1.5)
      .fillColor(INK)
      .text(t(s.goal), left, doc.y, { width });
  }
  if (s.ladder.length) {
    heading('Success ladder');
    for (const rung of s.ladder) pair(rung.label, rung.value);
  }
  if (s.scope.in.length || s.scope.out.length) {
    heading('Scope');
    // In and out side by side: the column that runs longer sets where the next block starts.
    const top = doc.y;
    const half = (width - 12) / 2;
    doc.font('Helvetica-Bold').fontSize(size).fillColor(INK).text('In scope', left, top, { width: half });
    bullets(s.scope.in, left, half);
    const inBottom = doc.y;
    doc
      .font('Helvetica-Bold')
      .fontSize(size)
      .fillColor(INK)
      .text('Out of scope', left + half + 12, top, { width: half });
    bullets(s.scope.out, left + half + 12, half);
    doc.y = Math.max(inBottom, doc.y);
    doc.x = left;
  }
  if (s.promises.length) {
    heading('Promises');
    for (const p of s.promises) pair(p.text, `${p.kind}, made by ${p.owner} \u00b7 ${p.status}`);
  }
  if (s.people.length) {
    heading('People');
    for (const c of s.people)
      pair(c.name, [c.role?.replace('_', ' '), c.detail].filter(Boolean).join(' \u00b7 '));
  }
  if (s.dates.length) {
    heading('Key dates');
    doc
      .font('Helvetica')
      .fontSize(size)
      .fillColor(INK)
      .text(t(s.dates.map((d) => `${d.label}: ${d.value}`).join('   \u00b7   ')), left, doc.y, { width });
  }
  if (s.risks.length) {
    heading('Open risks');
    bullets(s.risks);
  }
  for (const section of s.sections) {
    heading(section.title);
    for (const f of section.fields) {
      const lines = fieldText(f.value);
      if (lines.length === 1 && f.value.kind === 'text') pair(f.label, lines[0]!);
      else {
        doc.font('Helvetica-Bold').fontSize(size).fillColor(INK).text(t(f.label), left, doc.y, { width });
        bullets(lines);
        doc.moveDown(0.1);
      }
    }
  }
  doc.moveDown(0.6);
  doc
    .font('Helvetica')
    .fontSize(size - 1)
    .fillColor(MUTED)
    .text(t(`Generated ${s.generatedAt} by Baton`), left, doc.y, { width });
  const pages = doc.bufferedPageRange().count;
  doc.end();
  return { bytes: await done, pages };
}
