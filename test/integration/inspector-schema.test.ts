/**
 * The inspector builds its forms from the block schema document in the browser (bundled, see
 * pages-ui/app/views/editor/inspector/schema.ts) rather than fetching `GET /api/blocks/schema`:
 * the two must be the same document, or the form and the API would describe different fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed';
import { blockSchema } from '../../workers/domain/blocks';
import { blockJsonSchema, settingsJsonSchema } from '../../pages-ui/app/views/editor/inspector/schema';
import { buildFieldModel } from '../../pages-ui/app/views/editor/inspector/field-model';
import { FIELD_HINTS } from '../../pages-ui/app/views/editor/inspector/ui-hints';
import { createTestApp, type TestApp, type TestClient } from '../support/app';
import { signInDemo } from '../support/landing';
import { json } from '../support/responses';

describe('the inspector’s block schemas', () => {
  let t: TestApp;
  let client: TestClient;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t.database, { clock: t.deps.clock, leads: false });
    client = await signInDemo(t.client());
  });
  afterAll(() => t?.close());

  it('are the document GET /api/blocks/schema serves, for every block type and the settings', async () => {
    const served = await json(await client.rpc.api.blocks.schema.$get(), 200);
    expect(served.blocks.map((b) => b.type).sort()).toEqual(blockSchema.options.map((o) => o.shape.type.value).sort());
    for (const entry of served.blocks) expect(blockJsonSchema(entry.type), entry.type).toEqual(entry.schema);
    expect(settingsJsonSchema()).toEqual(served.settings);
  });

  it('give every field of every block a label and a control', () => {
    for (const option of blockSchema.options) {
      const type = option.shape.type.value;
      const stack = [...buildFieldModel(blockJsonSchema(type), type, FIELD_HINTS)];
      while (stack.length) {
        const node = stack.pop()!;
        expect(node.kind, `${type}.${node.pattern}`).not.toBe('unsupported');
        if (node.key) expect(node.label, `${type}.${node.pattern}`).toMatch(/^\S/);
        if (node.kind === 'object') stack.push(...node.fields);
        if (node.kind === 'array') stack.push(node.item);
        if (node.kind === 'variant') node.variants.forEach((v) => stack.push(...v.fields));
      }
    }
  });
});
