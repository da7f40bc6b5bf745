/**
 * Which column feeds which field: the importable fields of deals and leads with the aliases
 * HubSpot, Pipedrive and hand-made sheets use, header matching, and an explicit mapping.
 */
import { validationFailed } from '../errors';
import { fileIssue, type ImportIssue, type ImportKind } from './issues';

interface FieldSpec {
  /** The column name our own export writes. */
  label: string;
  aliases: string[];
}

export const DEAL_FIELDS = {
  name: { label: 'Deal name', aliases: ['name', 'deal', 'title', 'deal title', 'opportunity', 'opportunity name'] },
  pipeline: { label: 'Pipeline', aliases: ['pipeline name'] },
  stage: { label: 'Stage', aliases: ['deal stage', 'pipeline stage', 'stage name'] },
  amount: { label: 'Value', aliases: ['amount', 'deal size', 'deal value', 'deal amount', 'expected revenue', 'revenue', 'price'] },
  currency: { label: 'Currency', aliases: ['currency code', 'deal currency'] },
  email: { label: 'Lead email', aliases: ['email', 'e-mail', 'email address', 'contact email', 'customer email', 'person email'] },
  leadName: { label: 'Lead name', aliases: ['contact name', 'customer name', 'person name', 'contact', 'customer', 'person'] },
  ownerEmail: { label: 'Owner email', aliases: ['owner', 'deal owner', 'owner e-mail', 'sales rep', 'assigned to', 'assignee'] },
  expectedClose: { label: 'Expected close', aliases: ['close date', 'expected close date', 'expected closing date', 'closing date'] },
  createdAt: { label: 'Created', aliases: ['created at', 'create date', 'created date', 'date created', 'deal created', 'created on'] },
  closedAt: { label: 'Closed', aliases: ['closed at', 'closed date', 'date closed', 'closed on', 'close time'] },
  lostReason: { label: 'Lost reason', aliases: ['reason lost', 'closed lost reason', 'loss reason', 'lost because'] },
  sourceFunnel: { label: 'Source funnel', aliases: ['funnel', 'funnel name'] },
  source: { label: 'Attribution source', aliases: ['source', 'utm source', 'utm_source'] },
  medium: { label: 'Attribution medium', aliases: ['medium', 'utm medium', 'utm_medium'] },
  campaign: { label: 'Attribution campaign', aliases: ['campaign', 'utm campaign', 'utm_campaign'] },
  notes: { label: 'Notes', aliases: ['note', 'description', 'comments', 'comment'] },
} satisfies Record<string, FieldSpec>;

const LEAD_FIELDS = {
  email: { label: 'Email', aliases: ['e-mail', 'email address', 'lead email', 'contact email'] },
  name: { label: 'Name', aliases: ['full name', 'lead name', 'contact name', 'contact'] },
  firstName: { label: 'First name', aliases: ['given name', 'forename'] },
  lastName: { label: 'Last name', aliases: ['surname', 'family name'] },
  phone: { label: 'Phone', aliases: ['phone number', 'mobile', 'mobile phone', 'telephone', 'tel'] },
  company: { label: 'Company', aliases: ['company name', 'organization', 'organisation', 'organization name', 'account'] },
  source: { label: 'Source', aliases: ['lead source', 'utm source', 'utm_source'] },
  fields: { label: 'Fields', aliases: ['custom fields'] },
} satisfies Record<string, FieldSpec>;

/** Columns our own exports write that hold computed values: ignored on import, said so once. */
const COMPUTED_COLUMNS: Record<ImportKind, Record<string, string>> = {
  deals: {
    id: 'Ids are assigned by Leadflare.',
    winprobability: 'Probability comes from the stage.',
    weightedvalue: 'The weighted value is computed from the stage.',
    daysinstage: 'Time in stage is computed.',
    instagesince: 'Time in stage is computed.',
    rotting: 'Rotting is computed from the stage.',
  },
  leads: {
    id: 'Ids are assigned by Leadflare.',
    score: 'The score is computed from the lead’s activity.',
    quizoutcome: 'Quiz outcomes come from quiz submissions.',
    createdat: 'Leadflare records when a lead was created.',
    updatedat: 'Leadflare records when a lead was updated.',
  },
};

/** Header comparison: case, spaces, punctuation and accents-as-composed do not matter. */
function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

function fieldSpecs(kind: ImportKind): Record<string, FieldSpec> {
  return kind === 'deals' ? DEAL_FIELDS : LEAD_FIELDS;
}

const aliasIndex = new Map<ImportKind, Map<string, string>>();

/** The field a header (or a mapping target) names, by key, label or alias; `fields.<key>` for a lead's custom field. */
export function fieldForName(kind: ImportKind, name: string): string | null {
  if (kind === 'leads' && /^fields\.[^\s].{0,63}$/.test(name.trim())) return name.trim();
  let index = aliasIndex.get(kind);
  if (!index) {
    index = new Map();
    for (const [key, spec] of Object.entries(fieldSpecs(kind))) {
      for (const n of [key, spec.label, ...spec.aliases]) index.set(normaliseHeader(n), key);
    }
    aliasIndex.set(kind, index);
  }
  return index.get(normaliseHeader(name)) ?? null;
}

export interface MappedColumn {
  index: number;
  header: string;
  field: string | null;
}

/** `{column: field}`: a field key, label or alias, `fields.<key>` (leads), or null / "" / "ignore" to leave the column out. */
export type ColumnMappingInput = Record<string, string | null>;

const REQUIRED: Record<ImportKind, string> = { deals: 'name', leads: 'email' };

/**
 * Which column feeds which field. Explicit `mapping` entries win; other columns map by name.
 * Throws a validation error for a mapping that names no column or no field, two columns feeding
 * one field, or a missing required column; columns that feed nothing are returned as warnings.
 */
export function mapColumns(
  kind: ImportKind,
  header: string[],
  mapping: ColumnMappingInput = {},
): { columns: MappedColumn[]; warnings: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const explicit = new Map<number, string | null>();
  for (const [column, target] of Object.entries(mapping)) {
    const indexes = header.flatMap((h, i) => (normaliseHeader(h) === normaliseHeader(column) ? [i] : []));
    if (indexes.length === 0) {
      issues.push(fileIssue(`mapping.${column}`, `The file has no column named "${column}".`, column));
      continue;
    }
    const ignore = target === null || target.trim() === '' || target.trim().toLowerCase() === 'ignore';
    const field = ignore ? null : fieldForName(kind, target);
    if (!ignore && !field) {
      const known = Object.keys(fieldSpecs(kind)).join(', ');
      issues.push(
        fileIssue(
          `mapping.${column}`,
          `"${target}" is not a field of ${kind}; use one of ${known}${kind === 'leads' ? ', fields.<name>' : ''} or null.`,
          column,
        ),
      );
      continue;
    }
    for (const i of indexes) explicit.set(i, field);
  }
  const claimed = new Set([...explicit.values()].filter((f): f is string => f !== null));
  const columns: MappedColumn[] = header.map((raw, index) => {
    const h = raw.trim();
    if (explicit.has(index)) return { index, header: h, field: explicit.get(index)! };
    const field = h ? fieldForName(kind, h) : null;
    if (field && claimed.has(field)) {
      warnings.push(fileIssue(`header.${h}`, `Column "${h}" is not imported: the mapping takes ${field} from another column.`, h));
      return { index, header: h, field: null };
    }
    if (!field && h) {
      const computed = COMPUTED_COLUMNS[kind][normaliseHeader(h)];
      warnings.push(
        fileIssue(
          `header.${h}`,
          computed
            ? `Column "${h}" is not imported: ${computed}`
            : `Column "${h}" is not imported: no field has that name.${kind === 'leads' ? ` Map it to fields.${h} to keep it with the lead.` : ''}`,
          h,
        ),
      );
    }
    return { index, header: h, field };
  });
  const byField = new Map<string, MappedColumn[]>();
  for (const c of columns) if (c.field) byField.set(c.field, [...(byField.get(c.field) ?? []), c]);
  for (const [field, cols] of byField) {
    if (cols.length > 1) {
      issues.push(
        fileIssue(
          'header',
          `Columns ${cols.map((c) => `"${c.header}"`).join(' and ')} all hold ${field}; map all but one of them to null.`,
          cols[1]!.header,
        ),
      );
    }
  }
  const required = REQUIRED[kind];
  if (!byField.has(required)) {
    const spec = fieldSpecs(kind)[required]!;
    issues.push(
      fileIssue('header', `The file needs a column named "${spec.label}" (or "${spec.aliases[0]}"), or a mapping to ${required}.`),
    );
  }
  if (issues.length) throw validationFailed(issues, 'The columns of the file could not be matched; nothing was imported.');
  return { columns, warnings };
}
