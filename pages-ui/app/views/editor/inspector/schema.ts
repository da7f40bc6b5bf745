/**
 * The JSON Schema of each block type and of the page settings, derived here from the zod schemas
 * of workers/domain/blocks.ts rather than fetched from `GET /api/blocks/schema`.
 *
 * Why in the bundle: the inspector validates every keystroke with `blockSchema.safeParse`, so zod
 * and the block schemas are in this chunk anyway; `z.toJSONSchema` adds about 1.5 KB gzip to it,
 * no more than the gzipped schema document itself — and saves a request, its loading and failure
 * states, and any chance of the form and the validation coming from different versions.
 */
import * as z from 'zod';
import { blockSchema, pageContentSchema, type Block } from '../../../../../workers/domain/blocks';
import type { JsonSchema } from './field-model';

export type BlockType = Block['type'];

/**
 * `io: 'output'` describes the value as stored, which is what the form edits (a preprocessed
 * field shows its target type, e.g. an enum); `unrepresentable: 'any'` lets refinements JSON
 * Schema cannot express (safe URL schemes, forward-only branches) through unconstrained — the
 * live `safeParse` checks those.
 */
const OPTIONS = { unrepresentable: 'any', io: 'output', target: 'draft-2020-12' } as const;

function toJson(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, OPTIONS) as JsonSchema & { $schema?: string };
  return json;
}

let blocks: Map<string, JsonSchema> | undefined;

/** The JSON Schema of one block type (its properties, the `type` constant among them). */
export function blockJsonSchema(type: BlockType): JsonSchema {
  blocks ??= new Map(
    blockSchema.options.map((option) => {
      const json = toJson(option);
      return [String(json.properties?.type?.const), json];
    }),
  );
  const schema = blocks.get(type);
  if (!schema) throw new Error(`No schema for block type ${type}`);
  return schema;
}

let settings: JsonSchema | undefined;

/** The page settings' JSON Schema; its `theme` property is the theme's. */
export function settingsJsonSchema(): JsonSchema {
  return (settings ??= toJson(pageContentSchema.shape.settings));
}
