/**
 * Writes the demo funnel's ebook, pages-ui/landing/assets/gated/the-5-minute-skincare-routine.pdf: a
 * small, valid PDF 1.4 (standard Helvetica fonts, uncompressed text, exact xref offsets) with the
 * routine's text. The output is committed; run this only to change the guide.
 *
 *   npx tsx scripts/build-demo-pdf.ts
 */
import { writeFileSync } from 'node:fs';

const OUTPUT = 'pages-ui/landing/assets/gated/the-5-minute-skincare-routine.pdf';

type Style = 'title' | 'subtitle' | 'heading' | 'body' | 'footer';
const STYLES: Record<Style, { font: 'F1' | 'F2'; size: number; before: number; rose?: boolean }> = {
  title: { font: 'F2', size: 26, before: 0, rose: true },
  subtitle: { font: 'F1', size: 13, before: 30 },
  heading: { font: 'F2', size: 14, before: 30, rose: true },
  body: { font: 'F1', size: 11, before: 16 },
  footer: { font: 'F1', size: 9, before: 28 },
};

const GUIDE: Array<[Style, string]> = [
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
];

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
function layOut(): string[] {
  const pages: string[] = [];
  let ops = '';
  let y = PAGE_HEIGHT - MARGIN;
  for (const [style, text] of GUIDE) {
    const { font, size, before, rose } = STYLES[style];
    wrap(text, maxChars(size)).forEach((line, i) => {
      y -= i === 0 ? before : size * 1.45;
      if (y < MARGIN) {
        pages.push(ops);
        ops = '';
        y = PAGE_HEIGHT - MARGIN;
      }
      const colour = rose ? '0.616 0.090 0.302 rg' : '0.169 0.102 0.125 rg';
      ops += `BT ${colour} /${font} ${size} Tf 1 0 0 1 ${MARGIN} ${y.toFixed(1)} Tm (${escapePdfString(line)}) Tj ET\n`;
    });
  }
  pages.push(ops);
  return pages;
}

function buildPdf(): string {
  const pages = layOut();
  const objects: string[] = [];
  // Object number = index + 1.
  const add = (body: string) => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  const firstPageObject = 6;
  const kids = pages.map((_, i) => `${firstPageObject + i * 2} 0 R`).join(' ');
  add(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  add('<< /Title (The 5-minute skincare routine) /Author (Demo Shop) /Producer (Leadflare) >>');
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

const pdf = buildPdf();
if (!/^[\x20-\x7e\n]*$/.test(pdf)) throw new Error('The guide must be plain ASCII (WinAnsi-safe, and offsets are counted in characters).');
writeFileSync(OUTPUT, pdf, 'ascii');
console.log(`wrote ${OUTPUT} (${pdf.length} bytes)`);
