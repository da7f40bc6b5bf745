/**
 * The JSON Schema of each block type and of the page settings: the block schema document of
 * workers/domain/block-schema.ts — the very module `GET /api/blocks/schema` answers with, titles,
 * help texts and widget hints included — built here in the browser instead of fetched.
 *
 * Why in the bundle: the inspector validates every keystroke with `blockSchema.safeParse`, so zod
 * and the block schemas are in its runtime chunk anyway. Building the document adds 4.4 KB gzip to
 * that chunk, cached with it until the next deploy; fetching it would cost 5.1 KB gzip per hour of
 * editing (the API caches it privately for an hour) plus a round trip, a loading and a failure
 * state before the first field can be drawn. test/integration/inspector-schema.test.ts checks that
 * the two are the same document.
 */
import { blockSchemaDocument, type BlockSchemaDocument } from '../../../../../workers/domain/block-schema';
import type { Block } from '../../../../../workers/domain/blocks';
import type { JsonSchema } from './field-model';

export type BlockType = Block['type'];

let document: BlockSchemaDocument | undefined;
const built = () => (document ??= blockSchemaDocument());

/** The JSON Schema of one block type (its properties, the `type` constant among them). */
export function blockJsonSchema(type: BlockType): JsonSchema {
  const entry = built().blocks.find((b) => b.type === type);
  if (!entry) throw new Error(`No schema for block type ${type}`);
  return entry.schema;
}

/** The page settings' JSON Schema; its `theme` property is the theme's. */
export function settingsJsonSchema(): JsonSchema {
  return built().settings;
}
