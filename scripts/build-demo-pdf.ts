/**
 * Writes the lead-magnet PDFs the templates hand out, under pages-ui/landing/assets/gated/: the
 * demo funnel's ebook (the-5-minute-skincare-routine.pdf) and the ebook template's checklist
 * (year-end-close-checklist.pdf). Each is a small, valid PDF 1.4 (standard Helvetica fonts,
 * uncompressed text, exact xref offsets). The output is committed; run this only to change a guide.
 *
 *   npx tsx scripts/build-demo-pdf.ts
 */
import { writeFileSync } from 'node:fs';

type Style = 'title' | 'subtitle' | 'heading' | 'body' | 'footer';
const STYLES: Record<Style, { font: 'F1' | 'F2'; size: number; before: number; accent?: boolean }> = {
  title: { font: 'F2', size: 26, before: 0, accent: true },
  subtitle: { font: 'F1', size: 13, before: 30 },
  heading: { font: 'F2', size: 14, before: 30, accent: true },
  body: { font: 'F1', size: 11, before: 16 },
  footer: { font: 'F1', size: 9, before: 28 },
};

interface Guide {
  output: string;
  title: string;
  author: string;
  /** PDF fill colours (`r g b rg`) of headings and of the text. */
  accent: string;
  ink: string;
  lines: Array<[Style, string]>;
}

const SKINCARE_GUIDE: Guide = {
  output: 'pages-ui/landing/assets/gated/the-5-minute-skincare-routine.pdf',
  title: 'The 5-minute skincare routine',
  author: 'Demo Shop',
  accent: '0.616 0.090 0.302 rg',
  ink: '0.169 0.102 0.125 rg',
  lines: [
    ['title', 'The 5-minute skincare routine'],
    ['subtitle', 'A free guide from Demo Shop: five steps, morning and night, for every skin type.'],
    ['heading', 'Why five minutes is enough'],
    [
      'body',
      'Skin does not need ten products; it needs the right few, used every day and in the right order. Each step ' +
        'prepares the skin for the next one, so a short routine you keep beats a long one you skip.',
    ],
    ['heading', 'Morning: about two minutes'],
    ['body', '1. Cleanse. Rinse with lukewarm water and a pea-sized amount of gentle cleanser; pat dry.'],
    ['body', '2. Tone. Press a few drops of toner into the skin with your palms to restore its balance.'],
    ['body', '3. Treat. Two or three drops of serum, on the areas that need it most.'],
    ['body', '4. Moisturise. An almond-sized amount for the face and neck, while the serum is still damp.'],
    ['body', '5. Protect. Two finger-lengths of SPF 50 sunscreen, every day, whatever the weather.'],
    ['heading', 'Evening: about three minutes'],
    [
      'body',
      'Cleanse twice: the first wash lifts sunscreen and make-up, the second cleans the skin. Then tone, treat ' +
        'and moisturise as in the morning. Skip the sunscreen and give the moisturiser a minute to sink in.',
    ],
    ['heading', 'Adjust for your skin type'],
    ['body', 'Dry skin: use the cream cleanser once a day and a little more moisturiser at night.'],
    ['body', 'Balanced skin: keep the routine as it is, and never skip the sunscreen.'],
    ['body', 'Oily skin: use the gel cleanser twice a day and a thin layer of moisturiser; do not skip it.'],
    ['heading', 'Three habits that matter more than any product'],
    ['body', 'Sleep seven to eight hours, drink water through the day, and change your pillowcase every week.'],
    ['footer', 'Demo Shop, demo-shop.example. You received this guide because you asked for it on our website.'],
  ],
};

const step = (n: number, text: string): [Style, string] => ['body', `${n}. ${text}`];

const CHECKLIST: Guide = {
  output: 'pages-ui/landing/assets/gated/year-end-close-checklist.pdf',
  title: 'The year-end close checklist',
  author: 'Ledgerline Bookkeeping',
  accent: '0.059 0.463 0.431 rg',
  ink: '0.059 0.090 0.165 rg',
  lines: [
    ['title', 'The year-end close checklist'],
    ['subtitle', '27 steps to close your books and hand your accountant clean numbers. From Ledgerline Bookkeeping.'],
    ['heading', 'How to use this checklist'],
    [
      'body',
      'Work from top to bottom: each section relies on the one before it. Tick a step only when it is done, not ' +
        'when it is nearly done. Most small businesses finish in an afternoon; give yourself two if it is your first year.',
    ],
    ['heading', 'Bank and cards'],
    step(1, 'Download the final statement of the year for every business bank account.'),
    step(2, 'Reconcile each bank account to the closing balance on its statement, to the cent.'),
    step(3, 'Reconcile every credit card account the same way, including the cards you rarely use.'),
    step(4, 'Categorise or clear every transaction older than 30 days that is still uncategorised.'),
    step(5, 'Check that transfers between your own accounts appear on both sides and net to zero.'),
    step(6, "Reconcile loan accounts to the lender's year-end statement, splitting interest from principal."),
    ['heading', 'Sales and receivables'],
    step(7, 'Run an aged receivables report and chase every invoice more than 60 days overdue.'),
    step(8, 'Write off the invoices you will never collect, and note why.'),
    step(9, 'Make sure every deposit is matched to an invoice or recorded as income, never both.'),
    step(10, 'Check the sales tax you collected against the sales tax returns filed during the year.'),
    step(11, 'Record customer deposits and prepayments as liabilities, not income.'),
    ['heading', 'Expenses and payables'],
    step(12, 'Run an aged payables report and confirm that each unpaid bill is really owed.'),
    step(13, 'Enter the bills dated this year that arrive in January: they belong to this year.'),
    step(14, 'Review your ten largest expenses and check each one is in the right category.'),
    step(15, 'Separate personal spending on business cards and record it as owner drawings.'),
    step(16, 'Attach a receipt to every expense over $75.'),
    step(17, 'Look through recurring subscriptions for anything you cancelled but are still paying for.'),
    ['heading', 'Payroll and contractors'],
    step(18, "Reconcile payroll expense to your payroll provider's annual summary."),
    step(19, 'Record year-end bonuses and wages earned but not yet paid in the year they belong to.'),
    step(20, 'Collect a W-9 from every contractor you paid $600 or more during the year.'),
    step(21, 'Prepare the 1099-NEC forms: they are due to your contractors by January 31.'),
    ['heading', 'Assets, inventory and equity'],
    step(22, 'Count inventory on the last day of the year and adjust the books to the count.'),
    step(23, 'Add new equipment above your capitalisation threshold to the fixed-asset register.'),
    step(24, 'Record depreciation for the year, or ask your accountant for the figure.'),
    step(25, 'Record owner contributions and drawings so that equity ties to the balance sheet.'),
    ['heading', 'Review and lock'],
    step(26, "Compare this year's profit and loss with last year's, line by line, and explain any change over 20%."),
    step(27, 'Close the period in your accounting software with a password, and send your accountant read-only access.'),
    [
      'footer',
      'Ledgerline Bookkeeping, ledgerline.example. You received this checklist because you asked for it on our website. ' +
        'It is general guidance, not tax advice: ask your accountant about your own situation.',
    ],
  ],
};

const PAGE_WIDTH = 595;
const PAGE_HEIGHT = 842;
const MARGIN = 64;
// Helvetica averages a little under half an em per character; this keeps lines inside the margins.
const maxChars = (size: number) => Math.floor((PAGE_WIDTH - 2 * MARGIN) / (size * 0.46));

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

const escapePdfString = (text: string) => text.replace(/[\\()]/g, (ch) => `\\${ch}`);

/** Lays the guide out into pages of text-drawing operators. */
function layOut(guide: Guide): string[] {
  const pages: string[] = [];
  let ops = '';
  let y = PAGE_HEIGHT - MARGIN;
  for (const [style, text] of guide.lines) {
    const { font, size, before, accent } = STYLES[style];
    wrap(text, maxChars(size)).forEach((line, i) => {
      y -= i === 0 ? before : size * 1.45;
      if (y < MARGIN) {
        pages.push(ops);
        ops = '';
        y = PAGE_HEIGHT - MARGIN;
      }
      const colour = accent ? guide.accent : guide.ink;
      ops += `BT ${colour} /${font} ${size} Tf 1 0 0 1 ${MARGIN} ${y.toFixed(1)} Tm (${escapePdfString(line)}) Tj ET\n`;
    });
  }
  pages.push(ops);
  return pages;
}

function buildPdf(guide: Guide): string {
  const pages = layOut(guide);
  const objects: string[] = [];
  // Object number = index + 1.
  const add = (body: string) => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  const firstPageObject = 6;
  const kids = pages.map((_, i) => `${firstPageObject + i * 2} 0 R`).join(' ');
  add(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  add(`<< /Title (${escapePdfString(guide.title)}) /Author (${escapePdfString(guide.author)}) /Producer (Leadflare) >>`);
  pages.forEach((ops, i) => {
    const contentObject = firstPageObject + i * 2 + 1;
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
        `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${contentObject} 0 R >>`,
    );
    add(`<< /Length ${ops.length} >>\nstream\n${ops}endstream`);
  });

  // Every byte is ASCII, so string offsets are byte offsets.
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const offset = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return pdf;
}

for (const guide of [SKINCARE_GUIDE, CHECKLIST]) {
  const pdf = buildPdf(guide);
  if (!/^[\x20-\x7e\n]*$/.test(pdf))
    throw new Error(`${guide.title} must be plain ASCII (WinAnsi-safe, and offsets are counted in characters).`);
  writeFileSync(guide.output, pdf, 'ascii');
  console.log(`wrote ${guide.output} (${pdf.length} bytes)`);
}
