/**
 * Leads from a spreadsheet: the row schema (custom fields as `fields.<key>` columns or one JSON
 * column), then the plan — new emails are created, known ones updated like a repeated submission.
 */
import * as z from 'zod';
import { emailSchema } from '../emails';
import { isValidPhone } from '../form-submission';
import type { IdGenerator } from '../ids';
import { byRow, rowIssue, type ImportIssue } from './issues';
import { columnOf, optionalText, readImportFile, text, validateRows, type CheckedRow, type ImportOptions, type ReadFile } from './rows';

export interface LeadRowInput {
  email: string;
  name?: string;
  phone?: string;
  company?: string;
  source?: string;
  fields: Record<string, unknown>;
}

const jsonObject = z.string().transform((cell, ctx) => {
  try {
    const value: unknown = JSON.parse(cell);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'Not a JSON object such as {"plan": "pro"}.' });
  return z.NEVER;
});

const leadRowFields = z
  .object({
    email: z.string({ error: 'Every lead needs an email address.' }).pipe(emailSchema),
    name: optionalText(200),
    firstName: optionalText(100),
    lastName: optionalText(100),
    phone: z.string().refine(isValidPhone, 'Not a phone number; write it like +1 555 010 0199.').optional(),
    company: optionalText(200),
    source: optionalText(100),
    fields: jsonObject.optional(),
  })
  .catchall(text(2_000));

function toLeadInput(row: Partial<z.output<typeof leadRowFields>>): Partial<LeadRowInput> {
  const fields: Record<string, unknown> = { ...row.fields };
  for (const [key, value] of Object.entries(row)) if (key.startsWith('fields.')) fields[key.slice(7)] = value;
  const name = row.name ?? ([row.firstName, row.lastName].filter(Boolean).join(' ') || undefined);
  return { email: row.email, name, phone: row.phone, company: row.company, source: row.source, fields };
}

const leadRowSchema: z.ZodType<LeadRowInput> = leadRowFields.transform((row) => toLeadInput(row) as LeadRowInput);

export function readLeadFile(csv: string, options: ImportOptions = {}) {
  const file = readImportFile('leads', csv, options.mapping);
  const rows = validateRows(file, leadRowFields, leadRowSchema, (fields) => toLeadInput(fields as Partial<z.output<typeof leadRowFields>>));
  return { file, rows };
}

export interface ExistingLead {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  source: string;
  fields: Record<string, unknown>;
}

export interface LeadImportPlan {
  creates: Array<ExistingLead & { row: number }>;
  /** Existing leads with the values the file changes (non-empty cells win, custom fields merge). */
  updates: Array<ExistingLead & { row: number }>;
  unchanged: number;
  issues: ImportIssue[];
  warnings: ImportIssue[];
}

/**
 * New emails become leads; an email that is already a lead updates it the way a repeated form
 * submission does: a non-empty cell replaces the stored value, an empty one keeps it, custom
 * fields merge, and the source (first touch) is only filled in when it was empty. An email that
 * appears twice in the file is an error on the later row.
 */
export function planLeadImport(
  file: Pick<ReadFile, 'columns' | 'issues' | 'warnings'>,
  rows: CheckedRow<LeadRowInput>[],
  existing: Map<string, ExistingLead>,
  newId: IdGenerator,
): LeadImportPlan {
  const issues = file.issues;
  const seen = new Map<string, number>();
  const plan: LeadImportPlan = { creates: [], updates: [], unchanged: 0, issues, warnings: [...file.warnings] };
  for (const checked of rows) {
    const { row } = checked;
    const email = checked.value.email;
    const earlier = email === undefined ? undefined : seen.get(email);
    if (earlier !== undefined) {
      issues.push(rowIssue(row, 'email', columnOf(file.columns, 'email'), `${email} is already on row ${earlier}; list each lead once.`));
      continue;
    }
    if (email !== undefined) seen.set(email, row);
    if (!checked.valid) continue;
    const value = checked.value;
    const stored = existing.get(value.email);
    if (!stored) {
      plan.creates.push({
        row,
        id: newId(),
        email: value.email,
        name: value.name ?? null,
        phone: value.phone ?? null,
        company: value.company ?? null,
        source: value.source ?? '',
        fields: value.fields,
      });
      continue;
    }
    const next: ExistingLead & { row: number } = {
      ...stored,
      row,
      name: value.name ?? stored.name,
      phone: value.phone ?? stored.phone,
      company: value.company ?? stored.company,
      source: stored.source || (value.source ?? ''),
      fields: { ...stored.fields, ...value.fields },
    };
    const changed =
      next.name !== stored.name ||
      next.phone !== stored.phone ||
      next.company !== stored.company ||
      next.source !== stored.source ||
      JSON.stringify(next.fields) !== JSON.stringify(stored.fields);
    if (changed) plan.updates.push(next);
    else plan.unchanged++;
  }
  byRow(plan.issues);
  return plan;
}
