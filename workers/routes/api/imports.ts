import { Hono, type Context } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { MAX_IMPORT_ROWS } from '../../domain/csv-import';
import { badRequest } from '../../domain/errors';
import { parseWith } from '../../middleware/validate';
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

const jsonBody = options.extend({ csv: z.string().min(1, 'Put the file’s text in csv.') });

type Options = z.output<typeof options>;

function toRequest(csv: string, o: Options): ImportRequest {
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
 * (`multipart/form-data` with the file in `file` and the options as fields).
 */
async function readImport(c: Context<AppEnv>): Promise<ImportRequest> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (/^application\/(.+\+)?json\b/.test(type)) {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw badRequest('The request body is not valid JSON.', 'invalid_json');
    }
    const { csv, ...rest } = parseWith(jsonBody, body);
    return toRequest(csv, rest);
  }
  if (/^(text\/(csv|plain|tab-separated-values)|application\/(csv|vnd\.ms-excel))\b/.test(type)) {
    const query = c.req.query();
    const o = parseWith(options.omit({ mapping: true }), { ...query, pipelineId: query.pipelineId ?? query.pipeline });
    return toRequest(decodeText(await c.req.arrayBuffer()), o);
  }
  if (type.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody();
    const { file, mapping, ...fields } = form;
    if (!(file instanceof File)) throw badRequest('Attach the CSV file as the "file" field.', 'file_missing');
    let parsedMapping: unknown;
    if (typeof mapping === 'string' && mapping) {
      try {
        parsedMapping = JSON.parse(mapping);
      } catch {
        throw badRequest('mapping must be a JSON object such as {"Deal size": "amount"}.', 'invalid_json');
      }
    }
    const o = parseWith(options, { ...fields, ...(parsedMapping === undefined ? {} : { mapping: parsedMapping }) });
    return toRequest(decodeText(await file.arrayBuffer()), o);
  }
  throw badRequest(
    `Send the file as text/csv, as JSON {"csv": "…"}, or as a multipart upload; up to ${MAX_IMPORT_ROWS.toLocaleString('en-US')} rows.`,
    'unsupported_content_type',
  );
}

/** Spreadsheet imports (`/api/imports`): all or nothing; `dryRun` returns the report without writing. */
export const importRoutes = new Hono<AppEnv>()
  .post('/deals', async (c) => {
    const report = await importDeals(serviceCtx(c), c.var.scope.workspaceId, await readImport(c));
    return c.json(report, report.dryRun ? 200 : 201);
  })
  .post('/leads', async (c) => {
    const report = await importLeads(serviceCtx(c), c.var.scope.workspaceId, await readImport(c));
    return c.json(report, report.dryRun ? 200 : 201);
  });
