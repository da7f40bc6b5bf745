import { describe, expect, it } from 'vitest';
import { accessibilityFindings, type AccessibilityFinding } from '../../workers/contract/page-editor';
import { contrastRatio } from '../../workers/domain/colour-contrast';
import type { Block, PageContent } from '../../workers/domain/blocks';
import { BLOCK_EXAMPLES } from '../../workers/domain/block-schema';

const theme = { primary: '#1f4fd1', background: '#ffffff', text: '#111111', fontStack: 'system' } as const;
const page = (blocks: Block[], settings: Partial<PageContent['settings']> = {}): PageContent => ({
  settings: { title: 'A page', noindex: false, theme, ...settings },
  blocks,
});
const brief = (findings: AccessibilityFinding[]) => findings.map((f) => `${f.path} ${f.rule} ${f.severity}`);
const hero = (headline = 'Welcome'): Block => ({ type: 'hero', id: 'hero', headline });

describe('contrast', () => {
  it('computes WCAG ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // The WCAG reference pair: #767676 on white is the lightest grey that passes AA (4.54:1).
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
    expect(contrastRatio('red', '#ffffff')).toBeNull();
  });
});

describe('accessibilityFindings', () => {
  it('finds nothing on a page built from every block’s palette example', () => {
    const blocks = Object.values(BLOCK_EXAMPLES).map((block, i) => ({ ...block, id: `b${i}` })) as Block[];
    // The palette's CTA goes to the next page, which needs a next page.
    expect(accessibilityFindings(page(blocks), { pageSlugs: ['this', 'next'], pageSlug: 'this' })).toEqual([]);
  });

  it('flags text colours below 4.5:1, button labels below 4.5:1 (3:1 for large text) and buttons below 3:1 on the background', () => {
    expect(brief(accessibilityFindings(page([hero()], { theme: { ...theme, text: '#777777' } })))).toEqual([
      'settings.theme.text contrast error',
    ]);
    const [finding] = accessibilityFindings(page([hero()], { theme: { ...theme, text: '#777777' } }));
    expect(finding!.message).toBe(
      'Text on the background has a contrast of 4.4:1; WCAG AA needs 4.5:1 for body text (it passes for large headings only).',
    );
    // A mid grey primary: neither white nor near-black labels reach 4.5:1 on it (both pass 3:1), and it barely stands out from the grey background.
    expect(
      brief(accessibilityFindings(page([hero()], { theme: { ...theme, primary: '#797979', background: '#aaaaaa', text: '#000000' } }))),
    ).toEqual(['settings.theme.primary contrast warning', 'settings.theme.primary contrast warning']);
    // Pale yellow buttons on white: the label passes (near-black), the button's outline does not.
    const pale = accessibilityFindings(page([hero()], { theme: { ...theme, primary: '#fff3a0' } }));
    expect(pale).toEqual([expect.objectContaining({ path: 'settings.theme.primary', rule: 'contrast', severity: 'warning' })]);
    expect(pale[0]!.message).toContain('3:1 for controls');
    // Outline buttons take the derived link colour for their label and ring: the brand colour is behind neither.
    const outline = { ...theme, primary: '#797979', background: '#aaaaaa', text: '#000000', buttonFill: 'outline' as const };
    expect(brief(accessibilityFindings(page([hero()], { theme: outline })))).toEqual([]);
  });

  it('flags images without alt text, and logos without a name', () => {
    const findings = accessibilityFindings(
      page(
        [
          { type: 'hero', id: 'top', headline: 'Hi', image: { src: '/a.png', alt: '' } },
          { type: 'image', id: 'pic', src: '/b.png', alt: ' ' },
          { type: 'image', id: 'ok', src: '/c.png', alt: 'A jar of cream' },
        ],
        { theme: { ...theme, logo: { src: '/logo.svg', alt: '' } } },
      ),
    );
    expect(brief(findings)).toEqual([
      'settings.theme.logo.alt image-alt error',
      'blocks.0.image.alt image-alt warning',
      'blocks.1.alt image-alt error',
    ]);
    expect(findings[1]).toMatchObject({ blockIndex: 0, blockId: 'top', field: 'image.alt' });
  });

  it('flags links and buttons without text or destination, and vague link texts', () => {
    const findings = accessibilityFindings(
      page([
        hero(),
        { type: 'cta', id: 'empty', label: '', target: { kind: 'url', url: '' } },
        { type: 'cta', id: 'lost', label: 'See pricing', target: { kind: 'page', slug: 'pricing' } },
        { type: 'cta', id: 'last', label: 'Continue', target: { kind: 'next' } },
        { type: 'rich_text', id: 'txt', markdown: 'Read [click here](https://example.com). Or [the guide](https://example.com/guide).' },
      ]),
      { pageSlugs: ['start', 'thanks'], pageSlug: 'thanks' },
    );
    expect(brief(findings)).toEqual([
      'blocks.1.label link-text error',
      'blocks.1.target.url link-target error',
      'blocks.2.target.slug link-target error',
      'blocks.3.target link-target error',
      'blocks.4.markdown link-text warning',
    ]);
    expect(findings[2]!.message).toContain('“pricing”, which is not a page of this funnel');
    expect(findings[3]!.message).toContain('this is the funnel’s last page');
  });

  it('flags headings that skip a level and empty headings, in the renderer’s heading order', () => {
    // h1 (hero) → h3 (rich text): skips h2.
    expect(brief(accessibilityFindings(page([hero(), { type: 'rich_text', id: 't', markdown: '### Details\n\nText' }])))).toEqual([
      'blocks.1.markdown heading-order warning',
    ]);
    // A titled block first gives the h2 the rich text's h3 may follow.
    expect(
      accessibilityFindings(
        page([
          hero(),
          { type: 'faq', id: 'f', title: 'Questions', items: [{ question: 'Q?', answer: 'A.' }] },
          { type: 'rich_text', id: 't', markdown: '### More' },
        ]),
      ),
    ).toEqual([]);
    // No hero: the page title is the (visually hidden) h1.
    expect(brief(accessibilityFindings(page([{ type: 'rich_text', id: 't', markdown: '### Deep' }])))).toEqual([
      'blocks.0.markdown heading-order warning',
    ]);
    expect(brief(accessibilityFindings(page([hero(' ')])))).toEqual(['blocks.0.headline heading-empty error']);
  });

  it('flags unnamed form fields, questions, answers and video frames', () => {
    const findings = accessibilityFindings(
      page([
        hero(),
        { ...BLOCK_EXAMPLES.lead_form, fields: [{ name: 'email', label: '', kind: 'email', required: true }] },
        { ...BLOCK_EXAMPLES.video, title: '' },
      ]),
    );
    expect(brief(findings)).toEqual(['blocks.1.fields.0.label form-label error', 'blocks.2.title frame-title error']);
  });

  it('never throws on half-filled content the editor has not validated', () => {
    const broken = {
      settings: { title: '', theme: { primary: 'nope' } },
      blocks: [null, { type: 'hero', id: 'h' }, { type: 'features', id: 'f', items: [null] }, { type: 'quiz', id: 'q', questions: [{}] }],
    } as unknown as PageContent;
    const findings = accessibilityFindings(broken);
    expect(findings.map((f) => f.rule)).toContain('page-title');
    expect(findings.every((f) => typeof f.message === 'string')).toBe(true);
  });
});
