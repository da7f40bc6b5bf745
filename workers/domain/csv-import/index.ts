/**
 * Importing deals and leads from a spreadsheet (the small team's pipeline template), as pure
 * functions: map the header to fields (columns.ts: by name, case- and space-insensitive, with the
 * aliases HubSpot, Pipedrive and hand-made sheets use), validate every row with zod (rows.ts,
 * with the cell parsers of money.ts and dates.ts), then resolve names (pipeline, stage, owner,
 * lead, funnel) against lookups the service loaded (deal-plan.ts, lead-plan.ts). Every problem is
 * reported with its spreadsheet row number (the header is row 1) and column (issues.ts); the
 * service writes nothing unless there are none.
 */
export { DEAL_FIELDS, fieldForName, mapColumns, type ColumnMappingInput } from './columns';
export { formatDateCell, inferDateOrder, parseDateCell, type DateOrder } from './dates';
export { planDealImport, readDealFile, type DealImportLookups, type ImportPipeline } from './deal-plan';
export type { ImportIssue } from './issues';
export { planLeadImport, readLeadFile, type ExistingLead } from './lead-plan';
export { currencyExponent, formatMinor, parseAmount } from './money';
export { MAX_IMPORT_ROWS } from './rows';
