import { describe, expect, it } from 'vitest';
import { blockSchema, pageContentSchema, type Block } from '../../workers/domain/blocks';
import { BLOCK_TYPES, defaultBlock, duplicateBlock, newBlockId } from '../../pages-ui/app/views/editor/block-defaults';
import { BLOCK_INFO, blockName, blockSummary } from '../../pages-ui/app/views/editor/block-meta';
import { closestEdge, destinationIndex } from '../../pages-ui/app/views/editor/reorder';

const NOW = Date.UTC(2026, 11, 7, 12);
const issues = (value: unknown) => {
  const result = blockSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the palette and its default blocks', () => {
  it('offers every block type the schema knows, each with a label, hint and icon', () => {
    const schemaTypes = blockSchema.options.map((option) => option.shape.type.value).sort();
    expect([...BLOCK_TYPES].sort()).toEqual(schemaTypes);
    for (const type of BLOCK_TYPES) {
      expect(BLOCK_INFO[type].label).not.toBe('');
      expect(BLOCK_INFO[type].hint).not.toBe('');
      expect(BLOCK_INFO[type].icon).toMatch(/^M/);
    }
  });

  for (const type of BLOCK_TYPES) {
    it(`a new ${type} block parses with blockSchema, unchanged`, () => {
      const block = defaultBlock(type, newBlockId(type, []), NOW);
      expect(issues(block)).toEqual([]);
      expect(blockSchema.parse(block)).toEqual(block);
      expect(blockSummary(block)).not.toBe('');
    });
  }

  it('a page holding one of each (and a copy of each) is a valid page', () => {
    const blocks: Block[] = [];
    for (const type of BLOCK_TYPES)
      blocks.push(
        defaultBlock(
          type,
          newBlockId(
            type,
            blocks.map((b) => b.id),
          ),
          NOW,
        ),
      );
    for (const block of [...blocks])
      blocks.push(
        duplicateBlock(
          block,
          blocks.map((b) => b.id),
        ),
      );
    const content = {
      settings: {
        title: 'All blocks',
        noindex: false,
        theme: { primary: '#4338ca', background: '#ffffff', text: '#111827', fontStack: 'system' },
      },
      blocks,
    };
    const result = pageContentSchema.safeParse(content);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('dates a new countdown a week ahead of now', () => {
    const block = defaultBlock('countdown', 'countdown', NOW);
    expect(block.type === 'countdown' && block.endsAt).toBe(NOW + 7 * 86_400_000);
  });
});

describe('block ids', () => {
  it('takes the type name, then the first free number', () => {
    expect(newBlockId('lead_form', [])).toBe('lead-form');
    expect(newBlockId('hero', ['hero'])).toBe('hero-2');
    expect(newBlockId('hero', ['hero', 'hero-2', 'hero-4'])).toBe('hero-3');
  });

  it('gives a duplicate a new id and its own copy of the content', () => {
    const original = defaultBlock('faq', 'faq', NOW);
    const copy = duplicateBlock(original, ['faq']);
    expect(copy.id).toBe('faq-copy');
    expect({ ...copy, id: 'faq' }).toEqual(original);
    if (copy.type === 'faq') copy.items[0]!.question = 'Changed?';
    expect(original.type === 'faq' && original.items[0]!.question).toBe('Who is this for?');
    expect(duplicateBlock(copy, ['faq', 'faq-copy']).id).toBe('faq-copy-2');
    expect(duplicateBlock(original, ['faq', 'faq-copy', 'faq-copy-2']).id).toBe('faq-copy-3');
  });

  it('keeps a long id within the schema after "-copy"', () => {
    const long = defaultBlock('cta', 'x'.repeat(64), NOW);
    const copy = duplicateBlock(long, [long.id]);
    expect(issues(copy)).toEqual([]);
  });
});

describe('names in the outline', () => {
  it('summarises a block by its words, without markdown', () => {
    expect(blockSummary(defaultBlock('rich_text', 't', NOW))).toMatch(/^A heading for this section Write a few/);
    const image = defaultBlock('image', 'img', NOW);
    expect(blockSummary(image)).toBe('No alt text');
    expect(blockName(defaultBlock('hero', 'hero', NOW))).toBe('Hero “Say what your visitor gets, in one line”');
  });
});

describe('dropping a dragged block', () => {
  it('finds the closer edge of the row under the pointer', () => {
    expect(closestEdge(10, { top: 0, height: 40 })).toBe('top');
    expect(closestEdge(30, { top: 0, height: 40 })).toBe('bottom');
  });

  it('gives the index after the dragged block is taken out', () => {
    // [a b c d]: a dropped below c → [b c a d]
    expect(destinationIndex(0, 2, 'bottom')).toBe(2);
    // d dropped above b → [a d b c]
    expect(destinationIndex(3, 1, 'top')).toBe(1);
    // b dropped on its own neighbours' near edges stays put
    expect(destinationIndex(1, 0, 'bottom')).toBe(1);
    expect(destinationIndex(1, 2, 'top')).toBe(1);
    // to the very top and bottom
    expect(destinationIndex(2, 0, 'top')).toBe(0);
    expect(destinationIndex(0, 3, 'bottom')).toBe(3);
  });
});
