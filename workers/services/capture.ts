/**
 * Capture: a person becomes (or is found as) a lead — through a form on a published page (landing
 * form, quiz, chat, ebook gate), an embedded form, or a store's server event. Every capture is one
 * write transaction, in this order:
 *
 *   visitor → attribution (its first / last touch) → lead, submission, consent, `lead.created`
 *   outbox rows → the capture's own funnel event (stages, rollups) → score and qualify
 *
 * so the deal a rule makes already sees the lead's source, nothing is patched afterwards, and the
 * lead is qualified once, here (the event never passes through ingest's after-batch qualification).
 * The caller is answered after the commit; webhook deliveries are handed on after it too.
 *
 * Form posts also get bot and abuse checks and validation against the block's own definition;
 * retrying a POST with the same submission token returns the first result.
 */
import type { InStatement, Transaction } from '@libsql/client';
import { runInWriteTransaction, type UnitTransaction } from '../../db/grouped-transactions';
import { transactionDb } from '../../db/transaction-db';
import type { Database, Db } from '../../db/types';
import { isCaptureBlock, type CaptureBlock, type PageContent } from '../domain/blocks';
import { captureFormOf, validateFormValues, type CapturedValues } from '../domain/form-submission';
import { evaluateQuizPost, quizTags, type QuizAnswers, type QuizScore } from '../domain/quiz';
import { signToken, verifyToken } from '../domain/signed-tokens';
import { randomToken, sha256Hex } from '../domain/crypto';
import { notFound } from '../domain/errors';
import type { IdGenerator } from '../domain/ids';
import type { EventType } from '../domain/stages';
import { ingestWithin, type IngestEvent } from './ingest';
import { countHit } from './rate-limits';
import { qualifyLead } from './qualification';
import { leadCreatedData, webhookDeliveryRows, type OutboxEvent } from './webhook-outbox';
import { LEAD_MERGE } from './leads';
import { blockSendsMail, cancelQueuedLeadMail, queueCaptureMail, queueNewLeadNotifications, type LeadMailCtx } from './lead-mail';
import { log } from '../logger';
import { HUMAN_CHECK_MESSAGES, type HumanCheck } from './turnstile';

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
  /** After the commit: hands the webhook deliveries the capture wrote (lead.created, lead.qualified, deal.created) to the dispatcher. */
  notify?: (deliveryIds: string[]) => void;
  /**
   * Mail the capture causes (services/lead-mail.ts): `origin` for the links in it, and the email
   * dispatcher the queued rows go to after the commit. Without it, no mail is queued.
   */
  mail?: { origin: string; notifyEmails: (emailIds: string[]) => void };
}

export interface CapturePage {
  workspaceId: string;
  funnelId: string;
  pageId: string;
  pageSlug: string;
  pageVersionId: string;
  content: PageContent;
}

/** Who posted, as the HTTP edge saw it. */
export interface CaptureRequest {
  /** Keyed hash of the IP (`hashIp`): stored with consent, and the rate-limit key. */
  ipHash: string;
  /** The honeypot field's value: anything there is a bot. */
  honeypot: string | undefined;
  /** Who is filling the form: linked to the lead, and the submission recorded as their funnel event. */
  visitor: CaptureVisitor;
  /**
   * The funnel's Turnstile check of this post (services/turnstile.ts), when the funnel has it on.
   * Asked only once the post is otherwise acceptable, right before anything is stored, so a form
   * with mistakes does not use up the visitor's token.
   */
  humanCheck?: () => Promise<HumanCheck>;
}

export type CaptureVisitor =
  /** Not tracked: a bot, a prefetch, a privacy signal the workspace honours. */
  | { tracked: false }
  /**
   * Tracked. `id` is null when the request cannot say who it is (an embedded form posts without
   * cookies): the lead's most recent visitor is used, or a stand-in visitor for the lead.
   */
  | { tracked: true; id: string | null };

export type CaptureResult =
  /** Honeypot or too fast: answer as if all went well, store nothing. */
  | { kind: 'dropped' }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  /** The Turnstile check failed or could not be made (`unavailable`: retry); nothing was stored. */
  | {
      kind: 'human_check_failed';
      block: CaptureBlock;
      values: Record<string, string>;
      reason: Exclude<HumanCheck, { ok: true }>['reason'];
      message: string;
    }
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

export async function captureSubmission(
  ctx: CaptureContext,
  page: CapturePage,
  raw: Record<string, string>,
  request: CaptureRequest,
): Promise<CaptureResult> {
  const block = page.content.blocks.find((b) => b.id === raw._block);
  if (!block || !isCaptureBlock(block))
    return { kind: 'bad_request', message: 'This form is no longer on the page. Reload the page and try again.' };

  const token = await verifyToken<SubmissionTokenPayload>(ctx.secret, raw._token);
  if (request.honeypot) return { kind: 'dropped' };
  if (!token) return { kind: 'invalid', block, values: raw, errors: {}, message: 'This form had expired. Please submit it again.' };
  if (ctx.now - token.t < ctx.limits.minFillMs) return { kind: 'dropped' };
  if (ctx.now - token.t > ctx.limits.tokenMaxAgeMs) {
    return { kind: 'invalid', block, values: raw, errors: {}, message: 'This form had expired. Please submit it again.' };
  }

  const idempotencyKey = `${token.n}:${block.id}`;
  const earlier = await findSubmission(ctx.database.client, page.workspaceId, idempotencyKey);
  if (earlier) return { kind: 'stored', block, ...earlier, replay: true };

  // Consent is stored with the wording of the current version; a form rendered from another
  // version (the page was republished meanwhile, or the token came from another page) may have
  // shown other words, so the visitor gets the current form back, values kept, to post again.
  if (token.v !== page.pageVersionId) {
    return {
      kind: 'invalid',
      block,
      values: raw,
      errors: {},
      message: 'This page was updated while you were on it. Please check the form and submit it again.',
    };
  }

  let quiz: SubmissionInput['quiz'] = null;
  if (block.type === 'quiz') {
    const evaluation = evaluateQuizPost(block, raw);
    if (evaluation.status === 'invalid') return { kind: 'bad_request', message: evaluation.message };
    // Its values, not the raw post: answers a changed branch left off the path are dropped.
    if (evaluation.status === 'incomplete') return { kind: 'invalid', block, values: evaluation.values, errors: evaluation.errors };
    quiz = { score: evaluation.score, outcome: evaluation.outcome, answers: evaluation.answers, tags: quizTags(block, evaluation.answers) };
  }

  // Counted after the quiz steps: a no-JS visitor stepping through a branching quiz is not abuse.
  const retryAfter = await hitRateLimit(ctx, `capture:${request.ipHash}:${page.pageId}:${block.id}`);
  if (retryAfter !== null) return { kind: 'rate_limited', retryAfterSeconds: retryAfter };

  const form = captureFormOf(block);
  let captured: { values: CapturedValues; consentGiven: boolean } | null = null;
  if (form) {
    const validation = validateFormValues(form.fields, form.consent, raw);
    if (!validation.ok) return { kind: 'invalid', block, values: raw, errors: validation.errors };
    captured = validation;
  }

  if (request.humanCheck) {
    const check = await request.humanCheck();
    if (!check.ok)
      return { kind: 'human_check_failed', block, values: raw, reason: check.reason, message: HUMAN_CHECK_MESSAGES[check.reason] };
  }

  const utmSourceField = form?.fields.find((f) => f.kind === 'hidden_utm' && f.utmParam === 'utm_source')?.name;
  const input: SubmissionInput = {
    submissionId: ctx.newId(),
    leadId: ctx.newId(),
    source: ((utmSourceField && captured?.values.fields[utmSourceField]) || '').slice(0, 100),
    idempotencyKey,
    captured,
    quiz,
    ipHash: request.ipHash,
    consentWording: form?.consent?.text,
    pageVersionId: token.v,
    visitor: request.visitor,
  };
  const stored = await inCaptureTransaction(ctx, (t) => storeSubmission(ctx, t, page, block, input));
  return { kind: 'stored', block, ...stored.submission, replay: stored.replay };
}

/** The lead field that carries the tags of the lead's latest tagged quiz answers (see `quizTags`). */
export const QUIZ_TAGS_FIELD = 'quiz_tags';

/** The funnel event a stored submission is, recorded by the server so it needs no JavaScript. */
const CAPTURE_EVENT: Record<CaptureBlock['type'], EventType> = {
  lead_form: 'form_submit',
  // The quiz island reports quiz_complete itself; the server records the submission, so a
  // visitor with JavaScript is not counted twice (the stage is evaluation either way).
  quiz: 'form_submit',
  lead_magnet: 'lead_magnet_download',
  chat_capture: 'chat_email',
};

interface SubmissionInput {
  submissionId: string;
  /** Used only if the address is new to the workspace. */
  leadId: string;
  /** UTM source of the visit (the form's hidden utm_source field); the visitor's first touch wins over it. */
  source: string;
  idempotencyKey: string;
  captured: { values: CapturedValues; consentGiven: boolean } | null;
  quiz: (QuizScore & { answers: QuizAnswers; tags: string[] }) | null;
  ipHash: string;
  consentWording: string | undefined;
  pageVersionId: string;
  visitor: CaptureVisitor;
}

interface StoredSubmission {
  submissionId: string;
  leadId: string | null;
  quiz: QuizScore | null;
  submittedAt: number;
}

async function storeSubmission(
  ctx: CaptureContext,
  t: CaptureTransaction,
  page: CapturePage,
  block: CaptureBlock,
  input: SubmissionInput,
): Promise<{ submission: StoredSubmission; replay: boolean }> {
  const { now } = ctx;
  const { workspaceId } = page;
  // A concurrent duplicate (double click) committed first: answer with it, write nothing.
  const earlier = await findSubmission(t.tx, workspaceId, input.idempotencyKey);
  if (earlier) return { submission: earlier, replay: true };

  const requestVisitor = input.visitor.tracked ? input.visitor.id : null;
  let visitorId = requestVisitor;
  let leadId: string | null = null;
  let createdLead = false;
  if (input.captured) {
    const v = input.captured.values;
    const touches = requestVisitor ? await visitorTouches(t.tx, requestVisitor) : NO_TOUCHES;
    const fields = {
      ...v.fields,
      ...(input.quiz ? { quizScore: input.quiz.score } : {}),
      // One text, named like a form field, so the lead shows it and a qualification rule can ask
      // for "quiz_tags contains dry-skin"; a later quiz without tags keeps the earlier ones.
      ...(input.quiz?.tags.length ? { [QUIZ_TAGS_FIELD]: input.quiz.tags.join(', ') } : {}),
    };
    const lead = {
      id: input.leadId,
      email: v.email,
      name: v.name ?? null,
      phone: v.phone ?? null,
      company: v.company ?? null,
      fields,
      // What qualification would set: the first touch's source, else the form's own.
      source: touchSource(touches.firstTouch) || input.source,
      sourceFunnelId: page.funnelId,
      createdAt: now,
    };
    // One lead per workspace and address: a returning visitor updates it (new non-empty values
    // win, earlier ones are kept), and every submission keeps its own full copy. The lead takes
    // the visit's touches unless it has its own already.
    const rs = await t.tx.execute({
      sql: `insert into leads (id, workspace_id, email, name, phone, company, fields, quiz_outcome, source_funnel_id, source, first_touch, last_touch, created_at, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (workspace_id, email) do update set
              quiz_outcome = coalesce(excluded.quiz_outcome, leads.quiz_outcome),
              first_touch = case when leads.first_touch = '{}' then excluded.first_touch else leads.first_touch end,
              last_touch = case when leads.first_touch = '{}' then excluded.last_touch else leads.last_touch end,
              ${LEAD_MERGE}
            returning id`,
      args: [
        lead.id,
        workspaceId,
        lead.email,
        lead.name,
        lead.phone,
        lead.company,
        JSON.stringify(fields),
        input.quiz?.outcome?.id ?? null,
        lead.sourceFunnelId,
        lead.source,
        touches.firstTouch,
        touches.lastTouch,
        now,
        now,
      ],
    });
    leadId = String(rs.rows[0]!.id);
    createdLead = leadId === lead.id;
    if (createdLead)
      await writeOutbox(ctx, t, workspaceId, [{ type: 'lead.created', data: leadCreatedData({ ...lead, fields: v.fields }) }]);
    if (input.visitor.tracked) visitorId = await linkVisitor(t.tx, workspaceId, leadId, requestVisitor, now);
  }

  await t.tx.execute({
    sql: `insert into form_submissions (id, workspace_id, lead_id, funnel_id, page_id, page_version_id, form_id, submission_token, data, quiz_answers, quiz_score, quiz_outcome, created_at)
          values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      input.submissionId,
      workspaceId,
      leadId,
      page.funnelId,
      page.pageId,
      input.pageVersionId,
      block.id,
      input.idempotencyKey,
      JSON.stringify({
        ...(input.captured ? { ...input.captured.values, consent: input.captured.consentGiven } : {}),
        ...(input.quiz?.tags.length ? { quizTags: input.quiz.tags } : {}),
      }),
      input.quiz ? JSON.stringify(input.quiz.answers) : null,
      input.quiz?.score ?? null,
      input.quiz?.outcome?.id ?? null,
      now,
    ],
  });
  if (leadId && input.captured?.consentGiven && input.consentWording) {
    await t.tx.execute({
      sql: `insert into consent_records (id, workspace_id, lead_id, wording, page_version_id, ip_hash, granted_at) values (?, ?, ?, ?, ?, ?, ?)`,
      args: [ctx.newId(), workspaceId, leadId, input.consentWording, input.pageVersionId, input.ipHash, now],
    });
  }

  if (visitorId) {
    // The submission id makes the event id: the event is stored once, whatever happens.
    await recordEvent(t, now, {
      id: `sub_${input.submissionId}`,
      workspaceId,
      visitorId,
      type: CAPTURE_EVENT[block.type],
      occurredAt: now,
      funnelId: page.funnelId,
      pageId: page.pageId,
      pageSlug: page.pageSlug,
      props: { submissionId: input.submissionId, ...(leadId ? { leadId } : {}) },
    });
  }
  if (leadId) {
    const lead = leadId;
    await qualifyWithin(ctx, t, workspaceId, lead);
    // Most forms send nothing: no savepoint for them (every statement counts at 200 captures/s).
    if (blockSendsMail(block)) await mailWithin(ctx, t, (m) => queueCaptureMail(m, page, block, lead));
    if (createdLead) await mailWithin(ctx, t, (m) => queueNewLeadNotifications(m, workspaceId, lead));
  }
  return {
    submission: {
      submissionId: input.submissionId,
      leadId,
      submittedAt: now,
      quiz: input.quiz ? { score: input.quiz.score, outcome: input.quiz.outcome } : null,
    },
    replay: false,
  };
}

// ── Server events ────────────────────────────────────────────────────────────

/** A checkout, purchase, refund or unsubscribe a store reports (`POST /api/v1/events`), validated. */
export interface ServerEvent {
  type: 'checkout_start' | 'purchase' | 'refund' | 'unsubscribe';
  /** Normalised address: the customer's lead, found or created. */
  email: string;
  name?: string;
  /** The store's id: the idempotency key (an unsubscribe has none). */
  orderId?: string;
  amountMinor?: number;
  currency?: string;
  occurredAt: number;
  /** Funnel slug or id; the lead's source funnel when absent. */
  funnel?: string;
}

/**
 * Records a server event for its customer, in one transaction: the lead (created with the named
 * funnel as its source funnel, or found — a lead without a source funnel takes the named one), its
 * most recent visitor (or a stand-in visitor for a lead never seen on a page), the event through
 * ingest (sale, retention…), and the lead's qualification. An event without `funnel` counts in
 * the funnel the lead came from. A redelivered event (same type and order id) changes nothing.
 */
export async function captureServerEvent(
  ctx: CaptureContext,
  workspaceId: string,
  event: ServerEvent,
): Promise<{ eventId: string; leadId: string }> {
  let namedFunnel: string | null = null;
  if (event.funnel) {
    const rs = await ctx.database.client.execute({
      sql: 'select id from funnels where workspace_id = ? and (id = ? or slug = ?) limit 1',
      args: [workspaceId, event.funnel, event.funnel],
    });
    if (!rs.rows[0]) throw notFound('Funnel');
    namedFunnel = String(rs.rows[0].id);
  }
  return inCaptureTransaction(ctx, async (t) => {
    const { now } = ctx;
    const candidate = ctx.newId();
    const rs = await t.tx.execute({
      sql: `insert into leads (id, workspace_id, email, name, source_funnel_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)
            on conflict (workspace_id, email) do update set
              name = coalesce(leads.name, excluded.name),
              source_funnel_id = coalesce(leads.source_funnel_id, excluded.source_funnel_id)
            returning id, source_funnel_id`,
      args: [candidate, workspaceId, event.email, event.name ?? null, namedFunnel, now, now],
    });
    const leadId = String(rs.rows[0]!.id);
    const sourceFunnelId = rs.rows[0]!.source_funnel_id === null ? null : String(rs.rows[0]!.source_funnel_id);
    const created = leadId === candidate;
    if (created) {
      const lead = {
        id: leadId,
        email: event.email,
        name: event.name ?? null,
        phone: null,
        company: null,
        fields: {},
        source: '',
        sourceFunnelId,
        createdAt: now,
      };
      await writeOutbox(ctx, t, workspaceId, [{ type: 'lead.created', data: leadCreatedData(lead) }]);
    }

    const visitorId = await linkVisitor(t.tx, workspaceId, leadId, null, event.occurredAt);
    if (event.type === 'unsubscribe') {
      // From now on no lead mail is queued for them, and what is queued does not go out.
      await t.tx.execute({
        sql: 'update leads set unsubscribed_at = ?, updated_at = ? where id = ? and unsubscribed_at is null',
        args: [event.occurredAt, now, leadId],
      });
      await cancelQueuedLeadMail(t.db, leadId, 'Not sent: the lead unsubscribed.');
    }

    const idempotencyKey = event.orderId ?? `unsubscribe:${leadId}`;
    const eventId = `api_${(await sha256Hex(`${workspaceId}|${event.type}|${idempotencyKey}`)).slice(0, 32)}`;
    const stored = await recordEvent(t, now, {
      id: eventId,
      workspaceId,
      visitorId,
      type: event.type,
      occurredAt: event.occurredAt,
      funnelId: namedFunnel ?? sourceFunnelId,
      props: {
        leadId,
        ...(event.orderId ? { orderId: event.orderId } : {}),
        ...(event.amountMinor !== undefined ? { amountMinor: event.amountMinor, currency: event.currency } : {}),
      },
    });
    // A redelivery changed nothing: nothing to qualify again.
    if (created || stored) await qualifyWithin(ctx, t, workspaceId, leadId);
    if (created) await mailWithin(ctx, t, (m) => queueNewLeadNotifications(m, workspaceId, leadId));
    return { eventId, leadId };
  });
}

// ── The one transaction ──────────────────────────────────────────────────────

interface CaptureTransaction {
  tx: UnitTransaction;
  /** Drizzle on the same transaction, for the services qualification uses. */
  db: Db;
  /** Webhook deliveries written so far, handed on after the commit. */
  deliveries: string[];
  /** `email_outbox` rows written so far, handed to the email dispatcher after the commit. */
  emails: string[];
}

/**
 * Runs `work` in one write transaction and commits it; only then are the webhook deliveries it
 * wrote handed to the dispatcher. On the embedded file, concurrent captures share a transaction
 * and its commit (group commit, each in a savepoint of its own); each still resolves only once
 * committed. Everything inside must use `t`: the process's other database handle waits for this
 * transaction's write lock (embedded file) and cannot see its writes.
 */
async function inCaptureTransaction<T>(ctx: CaptureContext, work: (t: CaptureTransaction) => Promise<T>): Promise<T> {
  const { database } = ctx;
  const unit = async (tx: UnitTransaction) => {
    const t: CaptureTransaction = { tx, db: transactionDb(tx), deliveries: [], emails: [] };
    return { result: await work(t), deliveries: t.deliveries, emails: t.emails };
  };
  const { result, deliveries, emails } = await (database.groupedWrites
    ? database.groupedWrites.run(unit)
    : runInWriteTransaction(database.client, unit));
  if (deliveries.length) ctx.notify?.(deliveries);
  if (emails.length) ctx.mail?.notifyEmails(emails);
  return result;
}

const NO_TOUCHES = { firstTouch: '{}', lastTouch: '{}' };

/** The visitor's first and last touch as stored (`{at, source, medium, …}`), `{}` for a visitor not seen yet. */
async function visitorTouches(tx: UnitTransaction, visitorId: string): Promise<{ firstTouch: string; lastTouch: string }> {
  const rs = await tx.execute({ sql: 'select first_touch, last_touch from visitors where id = ?', args: [visitorId] });
  const row = rs.rows[0];
  return row ? { firstTouch: String(row.first_touch), lastTouch: String(row.last_touch) } : NO_TOUCHES;
}

function touchSource(storedTouch: string): string {
  try {
    const source = (JSON.parse(storedTouch) as { source?: unknown }).source;
    return typeof source === 'string' ? source.trim().slice(0, 100) : '';
  } catch {
    return '';
  }
}

/**
 * The visitor becomes known: linked to the lead, so the lead's history includes their earlier
 * visits. Without a visitor from the request (a server event, an embedded form), the lead's most
 * recent visitor, or else a stand-in visitor for a lead never seen on a page. Returns its id.
 */
async function linkVisitor(
  tx: UnitTransaction,
  workspaceId: string,
  leadId: string,
  visitorId: string | null,
  seenAt: number,
): Promise<string> {
  if (!visitorId) {
    const known = await tx.execute({ sql: 'select id from visitors where lead_id = ? order by last_seen_at desc limit 1', args: [leadId] });
    if (known.rows[0]) return String(known.rows[0].id);
    visitorId = `lead_${leadId}`;
  }
  await tx.execute({
    sql: `insert into visitors (id, workspace_id, lead_id, first_seen_at, last_seen_at) values (?, ?, ?, ?, ?)
          on conflict (id) do update set lead_id = excluded.lead_id`,
    args: [visitorId, workspaceId, leadId, seenAt, seenAt],
  });
  return visitorId;
}

async function writeOutbox(ctx: CaptureContext, t: CaptureTransaction, workspaceId: string, events: OutboxEvent[]): Promise<void> {
  const rows = await webhookDeliveryRows(t.db, workspaceId, events, ctx.now, ctx.newId);
  for (const d of rows) {
    const statement: InStatement = {
      sql: `insert into webhook_deliveries (id, workspace_id, endpoint_id, event_id, event_type, payload, status, attempts, next_attempt_at, created_at, updated_at)
            values (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
      args: [
        d.id,
        d.workspaceId,
        d.endpointId,
        d.eventId,
        d.eventType,
        d.payload,
        d.nextAttemptAt ?? d.createdAt,
        d.createdAt,
        d.updatedAt,
      ],
    };
    await t.tx.execute(statement);
    t.deliveries.push(d.id);
  }
}

/** The capture's funnel event, through ingest's own rules (stages, rollups, event mask); false if it was stored before. */
async function recordEvent(t: CaptureTransaction, receivedAt: number, event: IngestEvent): Promise<boolean> {
  return (await ingestWithin(t.tx, [event], receivedAt)).stored > 0;
}

/**
 * Scores the lead and runs its funnels' qualification rules on everything written above, so a
 * visitor who completes the quiz with a high score is a deal before the thank-you page loads.
 * In a savepoint: if qualifying fails, its writes are undone and logged, and the capture still
 * commits (the lead's next tracked event qualifies it again).
 */
async function qualifyWithin(ctx: CaptureContext, t: CaptureTransaction, workspaceId: string, leadId: string): Promise<void> {
  const deliveries: string[] = [];
  await t.tx.execute('savepoint qualify');
  try {
    await qualifyLead(
      { db: t.db, clock: () => ctx.now, newId: ctx.newId, notify: (ids) => void deliveries.push(...ids) },
      workspaceId,
      leadId,
    );
    await t.tx.execute('release qualify');
    t.deliveries.push(...deliveries);
  } catch (err) {
    log.error('Qualifying a captured lead failed', { leadId, err });
    await t.tx.execute('rollback to qualify');
    await t.tx.execute('release qualify');
  }
}

/**
 * Queues mail the capture causes (services/lead-mail.ts), in a savepoint like qualification: a
 * mail that cannot be written is logged and left out, and the lead is still stored.
 */
async function mailWithin(ctx: CaptureContext, t: CaptureTransaction, work: (m: LeadMailCtx) => Promise<string[]>): Promise<void> {
  if (!ctx.mail) return;
  await t.tx.execute('savepoint lead_mail');
  try {
    const ids = await work({ db: t.db, secret: ctx.secret, now: ctx.now, newId: ctx.newId, origin: ctx.mail.origin });
    await t.tx.execute('release lead_mail');
    t.emails.push(...ids);
  } catch (err) {
    log.error('Queueing mail for a captured lead failed', { err });
    await t.tx.execute('rollback to lead_mail');
    await t.tx.execute('release lead_mail');
  }
}

async function findSubmission(db: Pick<Transaction, 'execute'>, workspaceId: string, key: string): Promise<StoredSubmission | null> {
  const rs = await db.execute({
    sql: 'select id, lead_id, quiz_score, quiz_outcome, created_at from form_submissions where workspace_id = ? and submission_token = ?',
    args: [workspaceId, key],
  });
  const row = rs.rows[0];
  if (!row) return null;
  return {
    submissionId: String(row.id),
    leadId: row.lead_id === null ? null : String(row.lead_id),
    submittedAt: Number(row.created_at),
    quiz:
      row.quiz_score === null
        ? null
        : {
            score: Number(row.quiz_score),
            outcome: row.quiz_outcome === null ? null : { id: String(row.quiz_outcome), title: '', description: '' },
          },
  };
}

/** Counts a hit in a fixed window (rate-limits.ts); returns seconds to wait when over the limit, else null. */
function hitRateLimit(ctx: CaptureContext, key: string): Promise<number | null> {
  return countHit(ctx.database.client, key, { limit: ctx.limits.ratePerWindow, windowMs: ctx.limits.rateWindowMs }, ctx.now);
}

/** The IP as stored with consent and used for rate limits: keyed with the app secret, never raw. */
export async function hashIp(secret: string, ip: string): Promise<string> {
  return (await sha256Hex(`${secret}|ip|${ip}`)).slice(0, 32);
}
