/**
 * Lead capture from published pages: bot and abuse checks, validation against the block's own
 * definition, and one atomic write of lead + submission + consent (+ the `lead.created` webhook
 * outbox rows for a new lead) — committed before the visitor is answered; then the lead is scored
 * and qualified. Retrying a POST with the same submission token returns the first result.
 */
import type { InStatement } from '@libsql/client';
import type { Database } from '../../db/types';
import { isCaptureBlock, type CaptureBlock, type PageContent } from '../domain/blocks';
import { captureFormOf, validateFormValues, type CapturedValues } from '../domain/form-submission';
import { evaluateQuizPost, type QuizAnswers, type QuizScore } from '../domain/quiz';
import { signToken, verifyToken } from '../domain/signed-tokens';
import { randomToken, sha256Hex } from '../domain/crypto';
import type { IdGenerator } from '../domain/ids';
import { qualifyLead } from './qualification';
import { leadCreatedData, webhookDeliveryRows, type DeliveryRow } from './webhook-outbox';
import { LEAD_MERGE } from './leads';
import { log } from '../logger';

export interface CaptureLimits {
  /** A post sooner than this after the page was served is a bot (people do not type that fast). */
  minFillMs: number;
  /** Tokens older than this are refused: the visitor reloads and posts again. */
  tokenMaxAgeMs: number;
  /** Posts per IP hash and form in one window. */
  ratePerWindow: number;
  rateWindowMs: number;
}

export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = {
  minFillMs: 2_000,
  tokenMaxAgeMs: 24 * 60 * 60 * 1000,
  ratePerWindow: 10,
  rateWindowMs: 10 * 60 * 1000,
};

export interface SubmissionTokenPayload {
  /** Page version the form was rendered from. */
  v: string;
  /** Render time, epoch ms. */
  t: number;
  /** Random nonce: with the block id, the idempotency key of the submission. */
  n: string;
}

export async function issueSubmissionToken(secret: string, pageVersionId: string, now: number): Promise<string> {
  return signToken(secret, { v: pageVersionId, t: now, n: randomToken(12) } satisfies SubmissionTokenPayload);
}

export interface CaptureContext {
  database: Database;
  secret: string;
  now: number;
  newId: IdGenerator;
  limits: CaptureLimits;
  /** Hands committed webhook deliveries (lead.created, lead.qualified, deal.created) to the dispatcher. */
  notify?: (deliveryIds: string[]) => void;
}

export interface CapturePage {
  workspaceId: string;
  funnelId: string;
  pageId: string;
  pageVersionId: string;
  content: PageContent;
}

export type CaptureResult =
  /** Honeypot or too fast: answer as if all went well, store nothing. */
  | { kind: 'dropped' }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  /** Not something our forms produce (unknown block, forged token): 400. */
  | { kind: 'bad_request'; message: string }
  /** Re-render the form with the values kept and a message per field. */
  | { kind: 'invalid'; block: CaptureBlock; values: Record<string, string>; errors: Record<string, string>; message?: string }
  | {
      kind: 'stored';
      block: CaptureBlock;
      submissionId: string;
      leadId: string | null;
      quiz: QuizScore | null;
      /** When the submission was first stored: a retried post gets the same answer from it. */
      submittedAt: number;
      replay: boolean;
    };

export async function captureSubmission(ctx: CaptureContext, page: CapturePage, raw: Record<string, string>, ipHash: string, honeypot: string | undefined): Promise<CaptureResult> {
  const block = page.content.blocks.find((b) => b.id === raw._block);
  if (!block || !isCaptureBlock(block)) return { kind: 'bad_request', message: 'This form is no longer on the page. Reload the page and try again.' };

  const token = await verifyToken<SubmissionTokenPayload>(ctx.secret, raw._token);
  if (honeypot) return { kind: 'dropped' };
  if (!token) return { kind: 'invalid', block, values: raw, errors: {}, message: 'This form had expired. Please submit it again.' };
  if (ctx.now - token.t < ctx.limits.minFillMs) return { kind: 'dropped' };
  if (ctx.now - token.t > ctx.limits.tokenMaxAgeMs) {
    return { kind: 'invalid', block, values: raw, errors: {}, message: 'This form had expired. Please submit it again.' };
  }

  const idempotencyKey = `${token.n}:${block.id}`;
  const earlier = await findSubmission(ctx.database, page.workspaceId, idempotencyKey);
  if (earlier) return { kind: 'stored', block, ...earlier, replay: true };

  // Consent is stored with the wording of the current version; a form rendered from another
  // version (the page was republished meanwhile, or the token came from another page) may have
  // shown other words, so the visitor gets the current form back, values kept, to post again.
  if (token.v !== page.pageVersionId) {
    return { kind: 'invalid', block, values: raw, errors: {}, message: 'This page was updated while you were on it. Please check the form and submit it again.' };
  }

  let quiz: (QuizScore & { answers: QuizAnswers }) | null = null;
  if (block.type === 'quiz') {
    const evaluation = evaluateQuizPost(block, raw);
    if (evaluation.status === 'invalid') return { kind: 'bad_request', message: evaluation.message };
    // Its values, not the raw post: answers a changed branch left off the path are dropped.
    if (evaluation.status === 'incomplete') return { kind: 'invalid', block, values: evaluation.values, errors: evaluation.errors };
    quiz = { score: evaluation.score, outcome: evaluation.outcome, answers: evaluation.answers };
  }

  // Counted after the quiz steps: a no-JS visitor stepping through a branching quiz is not abuse.
  const retryAfter = await hitRateLimit(ctx, `capture:${ipHash}:${page.pageId}:${block.id}`);
  if (retryAfter !== null) return { kind: 'rate_limited', retryAfterSeconds: retryAfter };

  const form = captureFormOf(block);
  let captured: { values: CapturedValues; consentGiven: boolean } | null = null;
  if (form) {
    const validation = validateFormValues(form.fields, form.consent, raw);
    if (!validation.ok) return { kind: 'invalid', block, values: raw, errors: validation.errors };
    captured = validation;
  }

  const submissionId = ctx.newId();
  const leadId = ctx.newId();
  const utmSourceField = form?.fields.find((f) => f.kind === 'hidden_utm' && f.utmParam === 'utm_source')?.name;
  const source = (utmSourceField && captured?.values.fields[utmSourceField]) || '';
  const leadCreated = captured ? await leadCreatedDeliveries(ctx, page, leadId, captured.values, source) : [];
  await ctx.database.client.batch(
    [
      ...writeStatements(ctx, page, block, { submissionId, leadId, source, idempotencyKey, captured, quiz, ipHash, consentWording: form?.consent?.text, pageVersionId: token.v }),
      ...leadCreated.map((d) => conditionalDelivery(d, leadId)),
    ],
    'write',
  );
  // A concurrent duplicate (double click) may have won the race; answer with whichever was stored.
  const stored = await findSubmission(ctx.database, page.workspaceId, idempotencyKey);
  if (!stored) throw new Error('submission vanished after commit');
  const replay = stored.submissionId !== submissionId;
  if (stored.leadId === leadId && leadCreated.length) ctx.notify?.(leadCreated.map((d) => d.id));
  if (stored.leadId && !replay) await qualifyCapturedLead(ctx, page.workspaceId, stored.leadId);
  return { kind: 'stored', block, ...stored, replay };
}

/**
 * The lead is scored and its funnel's qualification rules run as soon as it is stored, so a
 * visitor who completes the quiz with a high score is a deal before the thank-you page loads.
 * The submission is already committed: a failure here is logged, and the next qualification
 * of the lead (after its events are ingested) catches up.
 */
async function qualifyCapturedLead(ctx: CaptureContext, workspaceId: string, leadId: string): Promise<void> {
  try {
    await qualifyLead({ db: ctx.database.db, clock: () => ctx.now, newId: ctx.newId, notify: ctx.notify ?? (() => {}) }, workspaceId, leadId);
  } catch (err) {
    log.error('Qualifying a captured lead failed', { leadId, err });
  }
}

/** The `lead.created` outbox rows for the lead this capture may create (written only if it does). */
async function leadCreatedDeliveries(ctx: CaptureContext, page: CapturePage, leadId: string, v: CapturedValues, source: string): Promise<DeliveryRow[]> {
  const lead = { id: leadId, email: v.email, name: v.name ?? null, phone: v.phone ?? null, company: v.company ?? null, fields: v.fields, source, sourceFunnelId: page.funnelId, createdAt: ctx.now };
  return webhookDeliveryRows(ctx.database.db, page.workspaceId, [{ type: 'lead.created', data: leadCreatedData(lead) }], ctx.now, ctx.newId);
}

/** A delivery row inserted in the capture's batch only if the lead insert created the lead with our id (not an existing address). */
function conditionalDelivery(d: DeliveryRow, leadId: string): InStatement {
  return {
    sql: `insert into webhook_deliveries (id, workspace_id, endpoint_id, event_id, event_type, payload, status, attempts, next_attempt_at, created_at, updated_at)
          select ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ? where exists (select 1 from leads where id = ?)`,
    args: [d.id, d.workspaceId, d.endpointId, d.eventId, d.eventType, d.payload, d.nextAttemptAt ?? d.createdAt, d.createdAt, d.updatedAt, leadId],
  };
}

interface WriteInput {
  submissionId: string;
  /** Used only if the address is new to the workspace. */
  leadId: string;
  /** UTM source of the visit (the form's hidden utm_source field), kept from the lead's creation. */
  source: string;
  idempotencyKey: string;
  captured: { values: CapturedValues; consentGiven: boolean } | null;
  quiz: (QuizScore & { answers: QuizAnswers }) | null;
  ipHash: string;
  consentWording: string | undefined;
  pageVersionId: string;
}

function writeStatements(ctx: CaptureContext, page: CapturePage, block: CaptureBlock, input: WriteInput): InStatement[] {
  const { now } = ctx;
  const statements: InStatement[] = [];
  const email = input.captured?.values.email ?? null;
  const leadFields = { ...input.captured?.values.fields, ...(input.quiz ? { quizScore: input.quiz.score } : {}) };
  if (input.captured) {
    const v = input.captured.values;
    // One lead per workspace and address: a returning visitor updates it (new non-empty values
    // win, earlier ones are kept), and every submission keeps its own full copy.
    statements.push({
      sql: `insert into leads (id, workspace_id, email, name, phone, company, fields, quiz_outcome, source_funnel_id, source, created_at, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (workspace_id, email) do update set
              quiz_outcome = coalesce(excluded.quiz_outcome, leads.quiz_outcome), ${LEAD_MERGE}`,
      args: [input.leadId, page.workspaceId, v.email, v.name ?? null, v.phone ?? null, v.company ?? null, JSON.stringify(leadFields), input.quiz?.outcome?.id ?? null, page.funnelId, input.source, now, now],
    });
  }
  const leadIdSql = email ? '(select id from leads where workspace_id = ? and email = ?)' : 'null';
  const leadIdArgs = email ? [page.workspaceId, email] : [];
  statements.push({
    sql: `insert into form_submissions (id, workspace_id, lead_id, funnel_id, page_id, page_version_id, form_id, submission_token, data, quiz_answers, quiz_score, quiz_outcome, created_at)
          select ?, ?, ${leadIdSql}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? where true
          on conflict (workspace_id, submission_token) do nothing`,
    args: [
      input.submissionId,
      page.workspaceId,
      ...leadIdArgs,
      page.funnelId,
      page.pageId,
      input.pageVersionId,
      block.id,
      input.idempotencyKey,
      JSON.stringify(input.captured ? { ...input.captured.values, consent: input.captured.consentGiven } : {}),
      input.quiz ? JSON.stringify(input.quiz.answers) : null,
      input.quiz?.score ?? null,
      input.quiz?.outcome?.id ?? null,
      now,
    ],
  });
  if (email && input.captured?.consentGiven && input.consentWording) {
    // Only with the submission that was actually inserted: a duplicate post records no second consent.
    statements.push({
      sql: `insert into consent_records (id, workspace_id, lead_id, wording, page_version_id, ip_hash, granted_at)
            select ?, ?, ${leadIdSql}, ?, ?, ?, ? where exists (select 1 from form_submissions where id = ?)`,
      args: [ctx.newId(), page.workspaceId, ...leadIdArgs, input.consentWording, input.pageVersionId, input.ipHash, now, input.submissionId],
    });
  }
  return statements;
}

async function findSubmission(database: Database, workspaceId: string, key: string) {
  const rs = await database.client.execute({
    sql: 'select id, lead_id, quiz_score, quiz_outcome, created_at from form_submissions where workspace_id = ? and submission_token = ?',
    args: [workspaceId, key],
  });
  const row = rs.rows[0];
  if (!row) return null;
  return {
    submissionId: String(row.id),
    leadId: row.lead_id === null ? null : String(row.lead_id),
    submittedAt: Number(row.created_at),
    quiz: row.quiz_score === null ? null : { score: Number(row.quiz_score), outcome: row.quiz_outcome === null ? null : { id: String(row.quiz_outcome), title: '', description: '' } },
  };
}

/** Counts a hit in a fixed window; returns seconds to wait when over the limit, else null. */
async function hitRateLimit(ctx: CaptureContext, key: string): Promise<number | null> {
  const { rateWindowMs, ratePerWindow } = ctx.limits;
  const windowStart = Math.floor(ctx.now / rateWindowMs) * rateWindowMs;
  const rs = await ctx.database.client.execute({
    sql: `insert into rate_limit_buckets (key, window_start, count) values (?, ?, 1)
          on conflict (key) do update set
            count = case when rate_limit_buckets.window_start = excluded.window_start then rate_limit_buckets.count + 1 else 1 end,
            window_start = excluded.window_start
          returning count`,
    args: [key, windowStart],
  });
  const count = Number(rs.rows[0]?.count ?? 0);
  if (count <= ratePerWindow) return null;
  return Math.max(1, Math.ceil((windowStart + rateWindowMs - ctx.now) / 1000));
}

/** The IP as stored with consent and used for rate limits: keyed with the app secret, never raw. */
export async function hashIp(secret: string, ip: string): Promise<string> {
  return (await sha256Hex(`${secret}|ip|${ip}`)).slice(0, 32);
}
