import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { BLOCK_EXAMPLES, blockSchemaDocument, LABELLED_PATHS } from '../../workers/domain/block-schema';
import { blockSchema, pageContentSchema } from '../../workers/domain/blocks';

type Json = Record<string, unknown>;

/** Every property path of a JSON Schema (`[]` for array items), with its node. */
function properties(schema: unknown, path = '', into = new Map<string, Json>()): Map<string, Json> {
  const node = schema as Json;
  for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Json>)) {
    const childPath = path ? `${path}.${key}` : key;
    into.set(childPath, child);
    properties(child, childPath, into);
  }
  if (node.items) properties(node.items, `${path}[]`, into);
  for (const key of ['oneOf', 'anyOf', 'allOf'])
    if (Array.isArray(node[key])) for (const option of node[key] as unknown[]) properties(option, path, into);
  return into;
}

describe('the block schema document', () => {
  const doc = blockSchemaDocument();

  it('has one schema per block type of the zod union, in its order', () => {
    const types = (blockSchema as unknown as { options: Array<{ shape: { type: { value: string } } }> }).options.map(
      (o) => o.shape.type.value,
    );
    expect(doc.blocks.map((b) => b.type)).toEqual(types);
    expect(doc.blocks.filter((b) => b.shipsJs).map((b) => b.type)).toEqual(['quiz', 'chat_capture']);
    expect(doc.blocks.filter((b) => b.captures).map((b) => b.type)).toEqual(['lead_form', 'quiz', 'lead_magnet', 'chat_capture']);
  });

  it('is zod’s own JSON Schema of each block (input form), with a title on every field', () => {
    for (const block of doc.blocks) {
      const option = (blockSchema as unknown as { options: z.ZodObject[] }).options.find(
        (o) => (o.shape.type as z.ZodLiteral).value === block.type,
      )!;
      const plain = properties(z.toJSONSchema(option, { io: 'input', unrepresentable: 'any' }));
      const annotated = properties(block.schema);
      expect([...annotated.keys()]).toEqual([...plain.keys()]);
      for (const [path, node] of annotated) {
        expect(typeof node.title, `${block.type}.${path}`).toBe('string');
        // Only annotations were added: the constraints are zod's.
        const { title: _t, description: _d, 'x-widget': _w, ...rest } = node;
        const { $schema: _s, ...original } = plain.get(path)!;
        expect(stripAnnotations(rest), `${block.type}.${path}`).toEqual(stripAnnotations(original));
      }
    }
  });

  it('labels only fields that exist (a renamed field cannot keep a stale label)', () => {
    const pathsByType = new Map(doc.blocks.map((b) => [b.type, [...properties(b.schema).keys()]]));
    for (const [type, labelled] of Object.entries(LABELLED_PATHS.perType)) {
      for (const path of labelled) expect(pathsByType.get(type as never), `${type}.${path}`).toContain(path);
    }
    const every = [...pathsByType.values()].flat();
    for (const path of LABELLED_PATHS.common) {
      expect(
        every.some((p) => p === path || p.endsWith(`.${path}`)),
        path,
      ).toBe(true);
    }
    const settings = [...properties(doc.settings).keys()];
    for (const path of LABELLED_PATHS.settings) expect(settings, path).toContain(path);
  });

  it('marks the fields a plain text box would not do', () => {
    const widget = (type: string, path: string) => properties(doc.blocks.find((b) => b.type === type)!.schema).get(path)?.['x-widget'];
    expect(widget('rich_text', 'markdown')).toBe('richtext');
    expect(widget('image', 'src')).toBe('image');
    expect(widget('hero', 'cta.target')).toBe('link-target');
    expect(widget('offer', 'priceMinor')).toBe('money-minor');
    expect(widget('countdown', 'endsAt')).toBe('datetime-ms');
    expect(widget('hero', 'type')).toBe('hidden');
    expect(properties(doc.settings).get('theme.text')).toMatchObject({ title: 'Text colour', 'x-widget': 'color' });
  });

  it('gives every block type an example that passes validation, in a page too', () => {
    for (const block of doc.blocks) {
      expect(block.example.type).toBe(block.type);
      expect(blockSchema.safeParse(block.example).success, block.type).toBe(true);
    }
    const blocks = Object.values(BLOCK_EXAMPLES).map((b, i) => ({ ...b, id: `b${i}` }));
    const page = {
      settings: {
        title: 'Every block',
        noindex: false,
        theme: { primary: '#1f4fd1', background: '#ffffff', text: '#111111', fontStack: 'system' },
      },
      blocks,
    };
    expect(pageContentSchema.safeParse(page).success).toBe(true);
  });
});

/** A node's own keywords: its children are compared by their own paths. */
function stripAnnotations(node: Json): Json {
  const { properties: _p, items: _i, oneOf: _o, anyOf: _a, allOf: _all, ...own } = node;
  return own;
}
