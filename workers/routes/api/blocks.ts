import { Hono } from 'hono';
import type { AppEnv } from '../../deps';
import { blockSchemaDocument, type BlockSchemaDocument } from '../../domain/block-schema';
import { apiDoc } from '../../middleware/api-doc';
import { requireUser } from '../../middleware/auth';

/** The same for every request and every workspace: built on first use, kept for the isolate's life. */
let document: BlockSchemaDocument | undefined;

/** The block schemas as JSON Schema, for the editor's palette and inspector. */
export const blockRoutes = new Hono<AppEnv>().get(
  '/schema',
  apiDoc({
    summary: 'JSON Schema of every block type and of the page settings',
    description:
      'Generated from the zod schemas that validate every save (input form), with a `title` (and often a `description` and an `x-widget` hint) on every field, so the editor can build its inspector from it. Each block type also has a valid `example` to insert.',
    returns: '`{blocks: [{type, title, description, captures, shipsJs, schema, example}], settings}`.',
  }),
  requireUser,
  (c) => c.json((document ??= blockSchemaDocument()), 200, { 'cache-control': 'private, max-age=3600' }),
);
