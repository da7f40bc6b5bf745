import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pageContentSchema, type Block, type CtaTarget } from '../../workers/domain/blocks';
import { DEMO_FUNNEL_PAGES } from '../../pages-ui/landing/demo-funnel';

const ASSETS_DIR = 'pages-ui/landing/assets';
const PDF_PATH = `${ASSETS_DIR}/gated/the-5-minute-skincare-routine.pdf`;

function targetsOf(block: Block): CtaTarget[] {
  switch (block.type) {
    case 'hero':
      return block.cta ? [block.cta.target] : [];
    case 'cta':
      return [block.target];
    case 'offer':
      return [block.buyTarget];
    case 'lead_form':
    case 'chat_capture':
      return block.successTarget ? [block.successTarget] : [];
    default:
      return [];
  }
}

function assetPathsOf(block: Block): string[] {
  const paths: string[] = [];
  if (block.type === 'hero' && block.image) paths.push(block.image.src);
  if (block.type === 'lead_magnet') paths.push(block.assetPath, ...(block.cover ? [block.cover.src] : []));
  return paths.filter((path) => path.startsWith('/assets/'));
}

describe('the demo funnel', () => {
  it('has the five pages in funnel order', () => {
    expect(DEMO_FUNNEL_PAGES.map((page) => [page.slug, page.kind])).toEqual([
      ['landing', 'landing'],
      ['quiz', 'quiz'],
      ['guide', 'lead_magnet'],
      ['offer', 'offer'],
      ['thanks', 'thank_you'],
    ]);
  });

  it.each(DEMO_FUNNEL_PAGES.map((page) => [page.slug, page.content] as const))(
    '/%s is valid content, unchanged by parsing',
    (_, content) => {
      const result = pageContentSchema.safeParse(content);
      expect(result.success ? [] : result.error.issues).toEqual([]);
      expect(result.data).toEqual(content);
    },
  );

  it('links only to pages of the funnel and to assets that exist', () => {
    const slugs = new Set(DEMO_FUNNEL_PAGES.map((page) => page.slug));
    for (const block of DEMO_FUNNEL_PAGES.flatMap((page) => page.content.blocks)) {
      for (const target of targetsOf(block)) if (target.kind === 'page') expect(slugs.has(target.slug), target.slug).toBe(true);
      for (const path of assetPathsOf(block)) expect(existsSync(`${ASSETS_DIR}/${path.slice('/assets/'.length)}`), path).toBe(true);
    }
  });

  it('has the article’s pieces: a branching skin-type quiz with email first, the $250 offer, consent wording', () => {
    const blocks = DEMO_FUNNEL_PAGES.flatMap((page) => page.content.blocks);
    const quiz = blocks.find((block) => block.type === 'quiz')!;
    expect(quiz.type === 'quiz' && quiz.askEmailBeforeOutcome).toBe(true);
    expect(quiz.type === 'quiz' && quiz.questions.length).toBeGreaterThanOrEqual(4);
    expect(quiz.type === 'quiz' && quiz.questions.some((q) => q.answers.some((a) => a.next))).toBe(true);
    expect(quiz.type === 'quiz' && quiz.outcomes.map((o) => o.title)).toEqual(['Dry skin', 'Balanced skin', 'Oily skin']);
    const offer = blocks.find((block) => block.type === 'offer')!;
    expect(offer.type === 'offer' && [offer.priceMinor, offer.currency, offer.buyTarget]).toEqual([
      25_000,
      'USD',
      { kind: 'page', slug: 'thanks' },
    ]);
    const chat = blocks.find((block) => block.type === 'chat_capture')!;
    expect(chat.type === 'chat_capture' && chat.consent).toEqual({
      text: 'Yes, email me skincare tips and offers from Demo Shop. I can unsubscribe at any time.',
      required: true,
    });
    const gate = blocks.find((block) => block.type === 'lead_magnet')!;
    expect(gate.type === 'lead_magnet' && gate.assetPath).toBe('/assets/gated/the-5-minute-skincare-routine.pdf');
  });
});

describe('the ebook PDF', () => {
  const pdf = readFileSync(PDF_PATH, 'latin1');

  it('is a well-formed PDF whose cross-reference table points at its objects', () => {
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(pdf)![1]);
    expect(pdf.slice(startxref, startxref + 5)).toBe('xref\n');
    const [, count] = /^xref\n0 (\d+)\n/.exec(pdf.slice(startxref))!;
    const entries = pdf
      .slice(startxref)
      .split('\n')
      .slice(2, 2 + Number(count));
    expect(entries[0]).toBe('0000000000 65535 f ');
    entries.slice(1).forEach((entry, i) => {
      const offset = Number(entry.slice(0, 10));
      expect(entry.endsWith(' 00000 n ')).toBe(true);
      expect(pdf.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
    });
    for (const [, length, body] of pdf.matchAll(/<< \/Length (\d+) >>\nstream\n([\s\S]*?)endstream/g)) {
      expect(body!.length).toBe(Number(length));
    }
  });

  it('contains the routine', () => {
    expect(pdf).toContain('(The 5-minute skincare routine) Tj');
    expect(pdf).toContain('(5. Protect. Two finger-lengths of SPF 50 sunscreen, every day, whatever the weather.) Tj');
  });
});

describe('the islands bundle', () => {
  it('is up to date with its sources', () => {
    expect(() => execFileSync('npx', ['tsx', 'scripts/build-islands.ts', '--check'], { stdio: 'pipe' })).not.toThrow();
  }, 60_000);
});
