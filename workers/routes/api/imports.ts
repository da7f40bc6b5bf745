import { Hono, type Context } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { MAX_IMPORT_ROWS } from '../../domain/csv-import';
import { badRequest } from '../../domain/errors';
import { apiDoc } from '../../middleware/api-doc';
import { readFormBody, readJsonBody, mediaType } from '../../middleware/request-body';
import { validate } from '../../middleware/validate';
import { importDeals, importLeads, type ImportRequest } from '../../services/imports';
import { serviceCtx } from '../service-context';

const DATE_FORMATS = { 'YYYY-MM-DD': undefined, 'MM/DD/YYYY': 'MDY', 'DD/MM/YYYY': 'DMY' } as const;

const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);

const options = z.object({
  pipelineId: z.string().min(1).max(64).optional(),
  dryRun: flag.optional(),
  /** How numeric dates such as 03/04/2026 read; ISO dates (2026-04-03) always work. */
  dateFormat: z.enum(Object.keys(DATE_FORMATS) as [keyof typeof DATE_FORMATS]).optional(),
  /** Currency of rows that name none (deals); default USD. */
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'Use a three-letter currency code such as USD.')
    .transform((v) => v.toUpperCase())
    .optional(),
  /** `{column in the file: field}`; null (or "ignore") leaves a column out. */
  mapping: z.record(z.string().min(1).max(200), z.string().max(100).nullable()).optional(),
});

const importBody = options.extend({ csv: z.string().min(1, 'Put the file’s text in csv.') }).meta({
  examples: [
    {
      csv: 'Deal name,Amount,Stage,Email\nCosmetics set - Ava Smith,250,Lead generation,ava@example.com',
      mapping: { Amount: 'amount' },
      dryRun: true,
    },
  ],
});

function toRequest({ csv, ...o }: z.output<typeof importBody>): ImportRequest {
  return {
    csv,
    mapping: o.mapping,
    pipelineId: o.pipelineId,
    dryRun: o.dryRun,
    dateOrder: o.dateFormat && DATE_FORMATS[o.dateFormat],
    currency: o.currency,
  };
}

/**
 * Spreadsheet files arrive as UTF-8 (Excel's "CSV UTF-8", Sheets, Numbers) or, from Excel's
 * "Unicode text", as UTF-16 with a byte-order mark. Anything else is refused rather than guessed.
 */
function decodeText(bytes: ArrayBuffer): string {
  const head = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength));
  const encoding = head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : 'utf-8';
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw badRequest('The file is not UTF-8 text. In Excel, save it as "CSV UTF-8 (comma delimited)".', 'invalid_encoding');
  }
}

/**
 * The file and the options, from any of: a CSV body (`text/csv`, options in the query string), a
 * JSON body `{csv, mapping?, pipelineId?, dryRun?, dateFormat?, currency?}`, or a form upload
 * (`multipart/form-data` with the file in `file` and the options as fields), as one object for
 * the route's validator.
 */
async function readImport(c: Context): Promise<unknown> {
  const type = mediaType(c);
  if (/^application\/([\w.-]+\+)?json$/.test(type)) return readJsonBody(c);
  if (/^(text\/(csv|plain|tab-separated-values)|application\/(csv|vnd\.ms-excel))$/.test(type)) {
    const query = c.req.query();
    return { ...query, pipelineId: query.pipelineId ?? query.pipeline, csv: decodeText(await c.req.arrayBuffer()) };
  }
  if (type === 'multipart/form-data') {
    const { file, mapping, ...fields } = await readFormBody(c);
    if (!(file instanceof File)) throw badRequest('Attach the CSV file as the "file" field.', 'file_missing');
    let parsedMapping: unknown;
    if (typeof mapping === 'string' && mapping) {
      try {
        parsedMapping = JSON.parse(mapping);
      } catch {
        throw badRequest('mapping must be a JSON object such as {"Deal size": "amount"}.', 'invalid_json');
      }
    }
    return { ...fields, ...(parsedMapping === undefined ? {} : { mapping: parsedMapping }), csv: decodeText(await file.arrayBuffer()) };
  }
  throw badRequest(
    `Send the file as text/csv, as JSON {"csv": "…"}, or as a multipart upload; up to ${MAX_IMPORT_ROWS.toLocaleString('en-US')} rows.`,
    'unsupported_content_type',
  );
}

const IMPORT_DOC = {
  description:
    'The file comes as `text/csv` (options in the query string), as JSON `{csv, …options}`, or as a `multipart/form-data` upload (`file` plus the options as fields). All or nothing; `dryRun` returns the report without writing.',
  errors: {
    file_missing: { status: 400, when: 'a multipart upload has no `file`.' },
    invalid_encoding: { status: 400, when: 'the file is not UTF-8 or UTF-16 text.' },
  },
};

/** Spreadsheet imports (`/api/imports`): all or nothing; `dryRun` returns the report without writing. */
export const importRoutes = new Hono<AppEnv>()
  .post(
    '/deals',
    apiDoc({ summary: 'Import deals from a spreadsheet', status: 201, ...IMPORT_DOC }),
    validate('json', importBody, { read: readImport }),
    async (c) => {
      const report = await importDeals(serviceCtx(c), c.var.scope.workspaceId, toRequest(c.req.valid('json')));
      return c.json(report, report.dryRun ? 200 : 201);
    },
  )
  .post(
    '/leads',
    apiDoc({ summary: 'Import leads from a spreadsheet', status: 201, ...IMPORT_DOC }),
    validate('json', importBody, { read: readImport }),
    async (c) => {
      const report = await importLeads(serviceCtx(c), c.var.scope.workspaceId, toRequest(c.req.valid('json')));
      return c.json(report, report.dryRun ? 200 : 201);
    },
  );
