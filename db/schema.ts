/**
 * The single source of truth for Leadflare's tables. Conventions:
 * - ids are text ULIDs (`workers/domain/ids.ts`): random, time-sortable, never sequential;
 * - times are integer UTC epoch milliseconds (`*_at` columns);
 * - money is an integer amount in minor units plus an ISO 4217 currency code;
 * - every tenant-owned row carries `workspace_id`, and every admin query filters on it.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex, check } from 'drizzle-orm/sqlite-core';
import { ROLES } from '../workers/domain/roles';
import { FUNNEL_STAGES } from '../workers/domain/stages';
import { STAGE_KINDS } from '../workers/domain/stage-kinds';
import { PAGE_VERSION_REASONS } from '../workers/domain/page-versions';
import { MEDIA_KINDS } from '../workers/domain/media';
import { ACTIVITY_TYPES } from '../workers/domain/activities';
import { DEAL_ORIGINS } from '../workers/domain/deal-origins';
import { EMAIL_KINDS, EMAIL_STATUSES } from '../workers/domain/email-kinds';

const id = () => text('id').primaryKey();
const createdAt = () => integer('created_at').notNull();
const updatedAt = () => integer('updated_at').notNull();
const workspaceRef = () =>
  text('workspace_id')
    .notNull()
    .references(() => workspaces.id, { onDelete: 'cascade' });

// ── Accounts ─────────────────────────────────────────────────────────────────

export interface WorkspaceSettings {
  /** Count visitors without storing anything on their device (issue: tracking). */
  cookieless?: boolean;
  /** Honour Global Privacy Control / Do-Not-Track headers. */
  honorPrivacySignals?: boolean;
  /** Origins allowed to post the embeddable form cross-origin. */
  allowedOrigins?: string[];
  /** Members must have two-factor authentication to use this workspace with their session (API keys unaffected). */
  requireTwoFactor?: boolean;
  /** Raw events older than this many months are deleted by the scheduled job (rollups stay); default 13. */
  rawEventRetentionMonths?: number;
}

export const workspaces = sqliteTable('workspaces', {
  id: id(),
  name: text('name').notNull(),
  settings: text('settings', { mode: 'json' }).$type<WorkspaceSettings>().notNull().default({}),
  createdAt: createdAt(),
});

export const users = sqliteTable(
  'users',
  {
    id: id(),
    /** Stored normalised (trimmed, lower-case); login looks it up the same way. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
    /** When the member followed the verification link (or a password-reset link, which proves the same); null: not yet. */
    emailVerifiedAt: integer('email_verified_at'),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email)],
);

export const memberships = sqliteTable(
  'memberships',
  {
    workspaceId: workspaceRef(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.userId] }),
    index('memberships_user_idx').on(t.userId),
    check('memberships_role_ck', sql`${t.role} in ('owner','editor','viewer')`),
  ],
);

export const invitations = sqliteTable(
  'invitations',
  {
    id: id(),
    workspaceId: workspaceRef(),
    role: text('role', { enum: ROLES }).notNull(),
    /** Optional note of whom the link is meant for; the link works for whoever holds it. */
    email: text('email'),
    /** SHA-256 of the token in the link; the token itself is shown once to the owner. */
    tokenHash: text('token_hash').notNull(),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
    acceptedAt: integer('accepted_at'),
    acceptedBy: text('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('invitations_token_uq').on(t.tokenHash), index('invitations_ws_idx').on(t.workspaceId)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the cookie token: a leaked table cannot be replayed as cookies. */
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: integer('last_seen_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const ACCOUNT_TOKEN_PURPOSES = ['password_reset', 'email_verification'] as const;

/** Single-use links mailed to a member (password reset, email verification). Only a hash of the token is kept. */
export const accountTokens = sqliteTable(
  'account_tokens',
  {
    /** SHA-256 of the token in the link. */
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ACCOUNT_TOKEN_PURPOSES }).notNull(),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('account_tokens_user_idx').on(t.userId, t.purpose)],
);

// ── Funnels and pages ────────────────────────────────────────────────────────

export const funnels = sqliteTable(
  'funnels',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    /** Public path `/p/<slug>`; unique across the installation because it is a URL. */
    slug: text('slug').notNull(),
    /** A workspace's own host name mapped to this funnel (e.g. `offers.example.com`). */
    customDomain: text('custom_domain'),
    /** Per-funnel overrides of the event→stage mapping and scoring (JSON, validated by zod). */
    settings: text('settings', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('funnels_slug_uq').on(t.slug),
    uniqueIndex('funnels_domain_uq').on(t.customDomain),
    index('funnels_ws_idx').on(t.workspaceId),
  ],
);

export const funnelPages = sqliteTable(
  'funnel_pages',
  {
    id: id(),
    workspaceId: workspaceRef(),
    funnelId: text('funnel_id')
      .notNull()
      .references(() => funnels.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** landing | quiz | lead_magnet | offer | thank_you | custom */
    kind: text('kind').notNull().default('custom'),
    position: integer('position').notNull(),
    /** Draft blocks and page settings, validated by the block schema before every write. */
    draft: text('draft', { mode: 'json' }).$type<unknown>().notNull(),
    publishedVersionId: text('published_version_id'),
    /**
     * Bumped by every save of the draft or the page's name, slug or kind (not by moves or publishing):
     * a save must name the revision it was based on, so two editors never overwrite each other.
     */
    revision: integer('revision').notNull().default(1),
    /** Preview links of this page made at or before this time show "turned off" (services/page-preview.ts). */
    previewLinksRevokedAt: integer('preview_links_revoked_at'),
    /** Who saved the current revision (null: created before revisions, or the user was deleted). */
    draftUpdatedBy: text('draft_updated_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('funnel_pages_slug_uq').on(t.funnelId, t.slug), index('funnel_pages_funnel_idx').on(t.funnelId, t.position)],
);

/** Immutable snapshots: a published page never changes; publishing again adds a version. */
export const pageVersions = sqliteTable(
  'page_versions',
  {
    id: id(),
    workspaceId: workspaceRef(),
    pageId: text('page_id')
      .notNull()
      .references(() => funnelPages.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    content: text('content', { mode: 'json' }).$type<unknown>().notNull(),
    html: text('html').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    /** publish | restore (`restored_from` is the version number published again) | relink (domain/page-versions.ts). */
    reason: text('reason', { enum: PAGE_VERSION_REASONS }).notNull().default('publish'),
    restoredFrom: integer('restored_from'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('page_versions_page_version_uq').on(t.pageId, t.version)],
);

/**
 * Page views and conversions (captures: form, quiz, lead magnet, chat) per page × UTC day, moved by
 * event ingest in the batch's transaction, so a funnel's per-page numbers never scan raw events.
 * WITHOUT ROWID (migration 0011, which drizzle cannot declare): ingest upserts it by key.
 */
export const pageDailyRollups = sqliteTable(
  'page_daily_rollups',
  {
    workspaceId: workspaceRef(),
    funnelId: text('funnel_id')
      .notNull()
      .references(() => funnels.id, { onDelete: 'cascade' }),
    pageId: text('page_id').notNull(),
    /** UTC day as YYYY-MM-DD. */
    day: text('day').notNull(),
    views: integer('views').notNull().default(0),
    conversions: integer('conversions').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.funnelId, t.day, t.pageId] })],
);

// ── Media library ────────────────────────────────────────────────────────────

/**
 * Uploaded images and lead-magnet files. The bytes live in the media store (R2 / `.data/media/`)
 * under `storage_key`; type, size and pixel size were read from the bytes (domain/media.ts).
 */
export const media = sqliteTable(
  'media',
  {
    id: id(),
    workspaceId: workspaceRef(),
    kind: text('kind', { enum: MEDIA_KINDS }).notNull(),
    contentType: text('content_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    width: integer('width'),
    height: integer('height'),
    /** Required for images when uploaded; what screen readers say and blocks take as their `alt`. */
    alt: text('alt'),
    /** The uploaded file's name (no path), for the list and for downloads of lead-magnet files. */
    originalName: text('original_name').notNull(),
    /** Hex SHA-256 of the bytes; its first 16 characters are in the public URL of an image. */
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    // The library newest first, all or one kind.
    index('media_ws_created_idx').on(t.workspaceId, t.createdAt, t.id),
    index('media_ws_kind_created_idx').on(t.workspaceId, t.kind, t.createdAt, t.id),
    check('media_kind_ck', sql`${t.kind} in ('image','file')`),
  ],
);

// ── Visitors, events, stages ─────────────────────────────────────────────────

/** WITHOUT ROWID (migration 0010, which drizzle cannot declare): ingest reads and upserts by id. */
export const visitors = sqliteTable(
  'visitors',
  {
    id: id(),
    workspaceId: workspaceRef(),
    leadId: text('lead_id'),
    firstSeenAt: integer('first_seen_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** First and last touch: { source, medium, campaign, term, content, referrer, landingPage }. */
    firstTouch: text('first_touch', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    lastTouch: text('last_touch', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
  },
  // Most visitors never become leads: only those who did are in the lead index.
  (t) => [
    index('visitors_ws_idx').on(t.workspaceId),
    index('visitors_lead_idx')
      .on(t.leadId)
      .where(sql`${t.leadId} is not null`),
  ],
);

export const events = sqliteTable(
  'events',
  {
    /** Made by the client (or the server for page views): a retried event keeps its id and is stored once. */
    id: text('id').primaryKey(),
    workspaceId: workspaceRef(),
    funnelId: text('funnel_id'),
    pageId: text('page_id'),
    visitorId: text('visitor_id').notNull(),
    type: text('type').notNull(),
    occurredAt: integer('occurred_at').notNull(),
    receivedAt: integer('received_at').notNull(),
    props: text('props', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
  },
  // By visitor for a lead's journey (its visitors' events in time order). Visitor ids are
  // time-ordered (`v<newId>`), so new entries land at the index's end instead of on random pages —
  // random ids had made an index like this a third of the bytes each ingest wrote.
  (t) => [index('events_funnel_time_idx').on(t.funnelId, t.occurredAt), index('events_visitor_time_idx').on(t.visitorId, t.occurredAt)],
);

/**
 * Funnels deleted whose raw events are still to be removed. Events carry their funnel's id but no
 * foreign key (ingest must never fail on one), so deleting a funnel leaves them; the scheduled job
 * deletes them in batches through the events' funnel-time index (services/housekeeping.ts). No
 * workspace key either: the entry must outlive nothing but the events it points at.
 */
export const deletedFunnels = sqliteTable('deleted_funnels', {
  funnelId: text('funnel_id').primaryKey(),
  workspaceId: text('workspace_id').notNull(),
  deletedAt: integer('deleted_at').notNull(),
});

/**
 * Each visitor's progress through one funnel: stages only move forward; first times are kept.
 * WITHOUT ROWID (migration 0010, which drizzle cannot declare): ingest reads and upserts by key.
 */
export const visitorStages = sqliteTable(
  'visitor_stages',
  {
    workspaceId: workspaceRef(),
    funnelId: text('funnel_id')
      .notNull()
      .references(() => funnels.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    /** Index into FUNNEL_STAGES of the furthest stage reached. */
    furthestStage: integer('furthest_stage').notNull(),
    awarenessAt: integer('awareness_at'),
    interestAt: integer('interest_at'),
    evaluationAt: integer('evaluation_at'),
    desireAt: integer('desire_at'),
    saleAt: integer('sale_at'),
    retentionAt: integer('retention_at'),
    /** Attribution for this funnel: the earliest touch (UTM source / medium / campaign) seen. */
    source: text('source').notNull().default(''),
    medium: text('medium').notNull().default(''),
    campaign: text('campaign').notNull().default(''),
    /** Time of that touch; an earlier one arriving later replaces it (ingest order does not matter). */
    touchAt: integer('touch_at'),
    /** Earliest purchase: a later purchase is a repeat (retention). */
    firstPurchaseAt: integer('first_purchase_at'),
    /**
     * Bit i set ⇔ an event of EVENT_TYPES[i] was seen in this funnel. OR-ed in by ingest, so it is
     * order-independent and idempotent; lead scoring reads it instead of the raw events.
     */
    eventMask: integer('event_mask').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.funnelId, t.visitorId] }), index('visitor_stages_awareness_idx').on(t.funnelId, t.awarenessAt)],
);

/** Visitors who reached a stage, per funnel × UTC day × stage × source; every report reads these. */
export const dailyRollups = sqliteTable(
  'daily_rollups',
  {
    workspaceId: workspaceRef(),
    funnelId: text('funnel_id')
      .notNull()
      .references(() => funnels.id, { onDelete: 'cascade' }),
    /** UTC day as YYYY-MM-DD. */
    day: text('day').notNull(),
    stage: text('stage', { enum: FUNNEL_STAGES }).notNull(),
    source: text('source').notNull().default(''),
    medium: text('medium').notNull().default(''),
    campaign: text('campaign').notNull().default(''),
    visitors: integer('visitors').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.funnelId, t.day, t.stage, t.source, t.medium, t.campaign] })],
);

/**
 * How long visitors took from the previous stage to this one, as a histogram per funnel × day
 * (the day this stage was reached) × stage × duration bucket — so the report's median needs no
 * scan of visitors. Buckets: `workers/domain/durations.ts`.
 */
export const stageDurationRollups = sqliteTable(
  'stage_duration_rollups',
  {
    workspaceId: workspaceRef(),
    funnelId: text('funnel_id')
      .notNull()
      .references(() => funnels.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    stage: text('stage', { enum: FUNNEL_STAGES }).notNull(),
    bucket: integer('bucket').notNull(),
    visitors: integer('visitors').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.funnelId, t.day, t.stage, t.bucket] })],
);

/**
 * People, not stage counts: visitors per funnel × UTC day they arrived (`visitor_stages.awareness_at`)
 * × furthest stage reached so far × first-touch source. Ingest moves a visitor from one cell to
 * another when their furthest stage, arrival or attribution changes, so the TOFU / MOFU / BOFU
 * sections read a few cells per day instead of scanning every visitor of the period. Holds exactly
 * the visitor_stages rows with an arrival and a furthest stage ≥ 0 (migration 0014 backfilled it).
 * WITHOUT ROWID (migration 0014, which drizzle cannot declare): ingest upserts by the key.
 */
export const peopleRollups = sqliteTable(
  'people_rollups',
  {
    workspaceId: workspaceRef(),
    funnelId: text('funnel_id')
      .notNull()
      .references(() => funnels.id, { onDelete: 'cascade' }),
    /** UTC day of arrival, YYYY-MM-DD. */
    day: text('day').notNull(),
    /** Index into FUNNEL_STAGES, as visitor_stages.furthest_stage. */
    furthestStage: integer('furthest_stage').notNull(),
    source: text('source').notNull().default(''),
    visitors: integer('visitors').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.funnelId, t.day, t.furthestStage, t.source] })],
);

// ── Leads ────────────────────────────────────────────────────────────────────

/**
 * Also searched through `leads_search` (migration 0011), an FTS5 trigram index over email, name and
 * company kept in step by triggers, which drizzle cannot declare: `q` finds substrings without
 * reading every lead. It follows the table's rowids; after a VACUUM (which may renumber them), run
 * `INSERT INTO leads_search (leads_search) VALUES ('rebuild')`.
 */
export const leads = sqliteTable(
  'leads',
  {
    id: id(),
    workspaceId: workspaceRef(),
    /** Normalised (trimmed, lower-case): one lead per workspace and address. */
    email: text('email').notNull(),
    name: text('name'),
    phone: text('phone'),
    company: text('company'),
    /** Latest value of every other captured field; each submission keeps its own copy. */
    fields: text('fields', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    score: integer('score').notNull().default(0),
    quizOutcome: text('quiz_outcome'),
    firstTouch: text('first_touch', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    lastTouch: text('last_touch', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    sourceFunnelId: text('source_funnel_id'),
    /** First-touch UTM source, copied out of `first_touch` so the handoff report can group by it cheaply. */
    source: text('source').notNull().default(''),
    /** When a qualification rule first matched (the handoff report's "qualified" step). */
    qualifiedAt: integer('qualified_at'),
    /**
     * Index into FUNNEL_STAGES of the furthest stage the lead reached in any funnel, null before any
     * (an imported lead). Kept by qualification, which rescores the lead whenever its stages move.
     */
    furthestStage: integer('furthest_stage'),
    /** The latest event of any of the lead's visitors (kept by ingest); null until one, when `created_at` stands in. */
    lastActivityAt: integer('last_activity_at'),
    /** When the lead's personal data was erased (services/lead-privacy.ts); the row stays for the counts. */
    erasedAt: integer('erased_at'),
    /** When the lead unsubscribed (their /u/ link, or a store's `unsubscribe` server event): no lead mail is queued after it. */
    unsubscribedAt: integer('unsubscribed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('leads_ws_email_uq').on(t.workspaceId, t.email),
    // The leads table's sorts, each a keyset walk (value, id): created, last activity, score (email: leads_ws_email_uq).
    index('leads_ws_created_id_idx').on(t.workspaceId, t.createdAt, t.id),
    index('leads_ws_activity_idx').on(t.workspaceId, sql`coalesce(${t.lastActivityAt}, ${t.createdAt})`, t.id),
    index('leads_ws_score_idx').on(t.workspaceId, t.score, t.id),
    // Its filters: counted from this index alone, and a funnel's (and stage's) leads found by prefix.
    index('leads_ws_filter_idx').on(t.workspaceId, t.sourceFunnelId, t.furthestStage, t.source, t.qualifiedAt, t.createdAt),
    index('leads_ws_created_idx').on(t.workspaceId, t.createdAt),
    index('leads_ws_qualified_idx').on(t.workspaceId, t.qualifiedAt),
    // Covers the handoff report: grouped by funnel and source without sorting 100k rows.
    index('leads_ws_handoff_idx').on(t.workspaceId, t.sourceFunnelId, t.source, t.createdAt, t.qualifiedAt),
  ],
);

/** The exact wording a lead agreed to, when, on which page version, from which (hashed) IP. */
export const consentRecords = sqliteTable(
  'consent_records',
  {
    id: id(),
    workspaceId: workspaceRef(),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    wording: text('wording').notNull(),
    pageVersionId: text('page_version_id'),
    ipHash: text('ip_hash'),
    grantedAt: integer('granted_at').notNull(),
    /** Hex SHA-256 of the wording, kept as proof of what was agreed when the lead is erased (and the wording cleared). */
    wordingSha256: text('wording_sha256'),
  },
  (t) => [index('consent_lead_idx').on(t.leadId)],
);

export const formSubmissions = sqliteTable(
  'form_submissions',
  {
    id: id(),
    workspaceId: workspaceRef(),
    leadId: text('lead_id').references(() => leads.id, { onDelete: 'cascade' }),
    funnelId: text('funnel_id'),
    pageId: text('page_id'),
    pageVersionId: text('page_version_id'),
    /** Id of the form / quiz / gate / chat block within the page. */
    formId: text('form_id').notNull(),
    /** The token rendered into the form: a retried POST finds its earlier submission here. */
    submissionToken: text('submission_token').notNull(),
    visitorId: text('visitor_id'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    quizAnswers: text('quiz_answers', { mode: 'json' }).$type<unknown>(),
    quizScore: integer('quiz_score'),
    quizOutcome: text('quiz_outcome'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('form_submissions_token_uq').on(t.workspaceId, t.submissionToken), index('form_submissions_lead_idx').on(t.leadId)],
);

// ── Pipelines and deals ──────────────────────────────────────────────────────

export const pipelines = sqliteTable(
  'pipelines',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    wonStageId: text('won_stage_id'),
    lostStageId: text('lost_stage_id'),
    /** B2C automations feeding this pipeline (JSON, validated by zod in domain/automations.ts). */
    automations: text('automations', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('pipelines_ws_idx').on(t.workspaceId)],
);

export const pipelineStages = sqliteTable(
  'pipeline_stages',
  {
    id: id(),
    workspaceId: workspaceRef(),
    pipelineId: text('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    kind: text('kind', { enum: STAGE_KINDS }).notNull(),
    /** 0–100. */
    winProbability: integer('win_probability').notNull(),
    /** A deal idle in this stage longer than this is flagged as rotting. */
    rottingDays: integer('rotting_days'),
    createdAt: createdAt(),
  },
  (t) => [
    index('pipeline_stages_pipeline_idx').on(t.pipelineId, t.position),
    check('pipeline_stages_kind_ck', sql`${t.kind} in ('open','won','lost')`),
    check('pipeline_stages_prob_ck', sql`${t.winProbability} between 0 and 100`),
  ],
);

export const deals = sqliteTable(
  'deals',
  {
    id: id(),
    workspaceId: workspaceRef(),
    pipelineId: text('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'cascade' }),
    stageId: text('stage_id')
      .notNull()
      .references(() => pipelineStages.id),
    /** Order within the stage column (lower first); sparse so a move rewrites one row. */
    position: integer('position').notNull().default(0),
    name: text('name').notNull(),
    valueMinor: integer('value_minor').notNull().default(0),
    currency: text('currency').notNull().default('USD'),
    leadId: text('lead_id').references(() => leads.id, { onDelete: 'set null' }),
    ownerId: text('owner_id').references(() => users.id, { onDelete: 'set null' }),
    expectedCloseAt: integer('expected_close_at'),
    sourceFunnelId: text('source_funnel_id'),
    attribution: text('attribution', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    /** The lead's first-touch UTM source (else the attribution's): the handoff report groups by it. */
    source: text('source').notNull().default(''),
    notes: text('notes'),
    lostReason: text('lost_reason'),
    /**
     * How the deal was made (domain/deal-origins.ts); migration 0013 back-filled it from each deal's
     * first history row. No CHECK: adding one would make drizzle rebuild this large table.
     */
    origin: text('origin', { enum: DEAL_ORIGINS }).notNull().default('manual'),
    stageEnteredAt: integer('stage_entered_at').notNull(),
    closedAt: integer('closed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // A column's cards in order (position, then id), and everything the board's column totals and the
    // stats' groups (stage, currency, lost reason) read: both scan a pipeline's deals in this index alone.
    index('deals_pipeline_stage_idx').on(
      t.pipelineId,
      t.stageId,
      t.position,
      t.id,
      t.currency,
      t.lostReason,
      t.valueMinor,
      t.stageEnteredAt,
      t.expectedCloseAt,
      t.closedAt,
      t.createdAt,
      t.workspaceId,
    ),
    index('deals_ws_lead_idx').on(t.workspaceId, t.leadId),
    index('deals_ws_created_idx').on(t.workspaceId, t.createdAt),
    // Covers the handoff report's deal steps (created, won) per funnel × source × currency.
    index('deals_ws_handoff_idx').on(
      t.workspaceId,
      t.sourceFunnelId,
      t.source,
      t.currency,
      t.createdAt,
      t.closedAt,
      t.stageId,
      t.valueMinor,
    ),
    // At most one open deal per lead per pipeline: qualifying again updates it instead.
    uniqueIndex('deals_open_lead_uq')
      .on(t.pipelineId, t.leadId)
      .where(sql`${t.closedAt} is null and ${t.leadId} is not null`),
    check('deals_value_ck', sql`${t.valueMinor} >= 0`),
  ],
);

/**
 * Calls, emails, meetings, tasks and deadlines on a deal (domain/activities.ts). `due_at` is the
 * instant when `has_time`, else midnight UTC of the date it is due all day. Open while `done_at` is
 * null. `due_notified_at`: when the `activity.due` webhook went out (once; a reschedule into the
 * future clears it).
 */
export const activities = sqliteTable(
  'activities',
  {
    id: id(),
    workspaceId: workspaceRef(),
    dealId: text('deal_id')
      .notNull()
      .references(() => deals.id, { onDelete: 'cascade' }),
    type: text('type', { enum: ACTIVITY_TYPES }).notNull(),
    subject: text('subject').notNull(),
    dueAt: integer('due_at').notNull(),
    hasTime: integer('has_time', { mode: 'boolean' }).notNull().default(true),
    durationMinutes: integer('duration_minutes'),
    assigneeId: text('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    doneAt: integer('done_at'),
    notes: text('notes'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    dueNotifiedAt: integer('due_notified_at'),
  },
  (t) => [
    // A deal's activities by due (every status; also what the cascade from deals looks up).
    index('activities_deal_due_idx').on(t.dealId, t.dueAt, t.id),
    // A deal's open activities by due: its next activity, on the board, the deal and the deals list. It
    // carries what a card shows (and done_at, always null here), so a card's lookup never reads the table.
    index('activities_ws_deal_open_idx')
      .on(t.workspaceId, t.dealId, t.dueAt, t.id, t.hasTime, t.type, t.subject, t.doneAt)
      .where(sql`${t.doneAt} is null`),
    // An assignee's open activities by due: "My activities" (today's and overdue).
    index('activities_ws_assignee_open_idx')
      .on(t.workspaceId, t.assigneeId, t.dueAt, t.id)
      .where(sql`${t.doneAt} is null`),
    // The workspace's activities by due, whatever the filters.
    index('activities_ws_due_idx').on(t.workspaceId, t.dueAt, t.id),
    // The scheduler's sweep: open activities whose due webhook has not gone out, by due.
    index('activities_due_unnotified_idx')
      .on(t.dueAt)
      .where(sql`${t.doneAt} is null and ${t.dueNotifiedAt} is null`),
    check('activities_type_ck', sql`${t.type} in ('call','email','meeting','task','deadline')`),
    check('activities_duration_ck', sql`${t.durationMinutes} is null or ${t.durationMinutes} between 1 and 1440`),
  ],
);

export const dealStageHistory = sqliteTable(
  'deal_stage_history',
  {
    id: id(),
    workspaceId: workspaceRef(),
    dealId: text('deal_id')
      .notNull()
      .references(() => deals.id, { onDelete: 'cascade' }),
    pipelineId: text('pipeline_id').notNull(),
    fromStageId: text('from_stage_id'),
    toStageId: text('to_stage_id').notNull(),
    /** How long the deal sat in `from_stage_id` (null on creation): stats read it instead of pairing rows. */
    msInFromStage: integer('ms_in_from_stage'),
    /** A user id, or `automation:<name>` / `rule:<id>` / `import` for moves nobody made by hand. */
    movedBy: text('moved_by'),
    movedAt: integer('moved_at').notNull(),
  },
  (t) => [
    index('deal_stage_history_deal_idx').on(t.dealId, t.movedAt),
    // Covers the stats' time in stage: the period's moves out of each stage, and how long each took.
    index('deal_stage_history_pipeline_idx').on(t.pipelineId, t.movedAt, t.fromStageId, t.msInFromStage),
  ],
);

/** Conditions on a lead (score, stage, magnet, quiz outcome, field) → a deal in a pipeline stage. */
export const qualificationRules = sqliteTable(
  'qualification_rules',
  {
    id: id(),
    workspaceId: workspaceRef(),
    funnelId: text('funnel_id')
      .notNull()
      .references(() => funnels.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    conditions: text('conditions', { mode: 'json' }).$type<unknown>().notNull(),
    action: text('action', { mode: 'json' }).$type<unknown>().notNull(),
    /** Deals this rule has assigned round-robin so far: the next owner is members[cursor % n]. */
    assignCursor: integer('assign_cursor').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('qualification_rules_funnel_idx').on(t.funnelId, t.position)],
);

/** One row per automation step taken, keyed so a second run of the same tick does nothing. */
export const automationRuns = sqliteTable(
  'automation_runs',
  {
    /** e.g. `checkout:<pipelineId>:<leadId>:<triggerEventId>`. */
    key: text('key').primaryKey(),
    workspaceId: workspaceRef(),
    dealId: text('deal_id'),
    ranAt: integer('ran_at').notNull(),
  },
  (t) => [index('automation_runs_ws_idx').on(t.workspaceId, t.ranAt)],
);

// ── Outbound webhooks ────────────────────────────────────────────────────────

export const WEBHOOK_EVENTS = [
  'lead.created',
  'lead.qualified',
  'deal.created',
  'deal.stage_changed',
  'deal.won',
  'deal.lost',
  'activity.due',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    id: id(),
    workspaceId: workspaceRef(),
    /** https only, and never a private / loopback / link-local / metadata address (checked on save and on send). */
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    /** HMAC-SHA256 signing secret; shown to owners once, kept to sign every delivery. */
    secret: text('secret').notNull(),
    /** The secret before the last rotation: deliveries carry its signature too until the expiry, so receivers can switch over. */
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: integer('previous_secret_expires_at'),
    events: text('events', { mode: 'json' }).$type<WebhookEvent[]>().notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('webhook_endpoints_ws_idx').on(t.workspaceId)],
);

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

/** The delivery log: one row per (event, endpoint), written in the transaction that caused the event (an outbox). */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: id(),
    workspaceId: workspaceRef(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** Same for every endpoint that receives the event; receivers de-duplicate on it. */
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: text('payload').notNull(),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deliveredAt: integer('delivered_at'),
  },
  (t) => [
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
  ],
);

// ── Abuse controls ───────────────────────────────────────────────────────────

/** Fixed-window counters (e.g. submissions per IP hash and form); shared by all instances through the database. */
export const rateLimitBuckets = sqliteTable('rate_limit_buckets', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
});

// ── Server-to-server access ──────────────────────────────────────────────────

/** Workspace API keys for the server events API (stores, back offices). Only a hash is kept. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name').notNull(),
    /** The first characters of the key, shown in lists so owners can tell keys apart. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash_uq').on(t.keyHash), index('api_keys_ws_idx').on(t.workspaceId)],
);

// ── Two-factor authentication ────────────────────────────────────────────────

/**
 * A member's TOTP authenticator. A row with `enabled_at` null is an enrolment begun but not yet
 * confirmed with a code; it signs nobody in and is replaced by the next setup.
 */
export const userTwoFactor = sqliteTable('user_two_factor', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The base32 seed sealed with AES-GCM under a key derived from the app secret (domain/secret-box.ts). */
  secretSealed: text('secret_sealed').notNull(),
  enabledAt: integer('enabled_at'),
  /** The time step of the last code accepted: that code and older ones are refused (no replay). */
  lastUsedStep: integer('last_used_step'),
  createdAt: createdAt(),
});

/** Single-use recovery codes, stored as keyed hashes; a used code's row is deleted. */
export const twoFactorRecoveryCodes = sqliteTable(
  'two_factor_recovery_codes',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

// ── Privacy ──────────────────────────────────────────────────────────────────

/** One row per lead erasure: who and when, and how many rows each scrubber changed — never what was erased. */
export const leadErasures = sqliteTable(
  'lead_erasures',
  {
    id: id(),
    workspaceId: workspaceRef(),
    leadId: text('lead_id').notNull(),
    /** The member who erased it (null once that user is deleted). */
    erasedBy: text('erased_by').references(() => users.id, { onDelete: 'set null' }),
    erasedAt: integer('erased_at').notNull(),
    /** `{ table: rows changed }`. */
    counts: text('counts', { mode: 'json' }).$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [index('lead_erasures_ws_idx').on(t.workspaceId, t.erasedAt)],
);

// ── Spam protection: Cloudflare Turnstile ────────────────────────────────────

/** A funnel's Turnstile check: when enabled, every capture form of its pages shows the widget and posts are verified. */
export const turnstileSettings = sqliteTable('turnstile_settings', {
  funnelId: text('funnel_id')
    .primaryKey()
    .references(() => funnels.id, { onDelete: 'cascade' }),
  workspaceId: workspaceRef(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(false),
  /** Public: rendered into the page. Kept when the check is turned off, so turning it on again needs no re-entry. */
  siteKey: text('site_key'),
  updatedAt: updatedAt(),
});

/** The workspace's Turnstile secret key: written by owners, read only to call siteverify, never sent back (a hint only). */
export const turnstileSecrets = sqliteTable('turnstile_secrets', {
  workspaceId: text('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  secretKey: text('secret_key').notNull(),
  updatedAt: updatedAt(),
});

/**
 * Turnstile tokens already presented, by hash, until they would have expired anyway: a replayed
 * token is refused here even if the verifier accepted it (the scheduled job drops expired rows).
 */
export const turnstileTokens = sqliteTable(
  'turnstile_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('turnstile_tokens_expiry_idx').on(t.expiresAt)],
);

// ── Email ────────────────────────────────────────────────────────────────────

/**
 * Every mail Leadflare sends, written by the change that asks for it and sent after commit by the
 * dispatcher (services/email.ts), with retries. Locally, with no provider configured, rows are
 * marked sent without leaving the machine and this table is the dev outbox (/app/outbox).
 */
export const emailOutbox = sqliteTable(
  'email_outbox',
  {
    id: id(),
    /** The workspace the mail is about (lead mail, invitations); null for a member's own account mail. */
    workspaceId: text('workspace_id').references(() => workspaces.id, { onDelete: 'cascade' }),
    /** The member it is addressed to, for account mail (their dev outbox shows it). */
    userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: EMAIL_KINDS }).notNull(),
    toAddress: text('to_address').notNull(),
    /** Null: the deployment's configured sender (EMAIL_FROM) at the time of sending. */
    fromAddress: text('from_address'),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    /** Extra headers as a JSON object, e.g. List-Unsubscribe. */
    headers: text('headers', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    status: text('status', { enum: EMAIL_STATUSES }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at'),
    lastError: text('last_error'),
    /** The provider's message id; `dev-outbox` when it never left the machine. */
    providerId: text('provider_id'),
    createdAt: createdAt(),
    sentAt: integer('sent_at'),
  },
  (t) => [
    index('email_outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('email_outbox_ws_idx').on(t.workspaceId, t.createdAt),
    index('email_outbox_user_idx').on(t.userId, t.createdAt),
  ],
);

// ── Lead mail and member notifications ──────────────────────────────────────

/**
 * Mail queued for a lead by a capture (services/lead-mail.ts), one row per lead and thing sent:
 * the unique key is what makes "once per lead per lead magnet" (and per follow-up) hold under
 * retries and double clicks. Erasing the lead removes its rows.
 */
export const leadMails = sqliteTable(
  'lead_mails',
  {
    id: id(),
    workspaceId: workspaceRef(),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: EMAIL_KINDS }).notNull(),
    /** What was sent: the lead magnet's file, or the block whose follow-up it was. */
    ref: text('ref').notNull(),
    /** The `email_outbox` row (it may be pruned later). */
    emailId: text('email_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('lead_mails_once_uq').on(t.leadId, t.kind, t.ref), index('lead_mails_ws_idx').on(t.workspaceId, t.createdAt)],
);

/** A member's own notification choices in one workspace (no row: everything off). */
export const memberNotifications = sqliteTable(
  'member_notifications',
  {
    workspaceId: workspaceRef(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** "Email me when a new lead arrives". */
    newLead: integer('new_lead', { mode: 'boolean' }).notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index('member_notifications_new_lead_idx').on(t.workspaceId, t.newLead)],
);

// ── Audit log ────────────────────────────────────────────────────────────────

export const AUDIT_ACTOR_KINDS = ['member', 'api_key', 'system'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

/**
 * Who changed what in a workspace, append-only: triggers (migration `audit_log_append_only`)
 * refuse UPDATE and DELETE. No foreign keys on purpose: a removed member or a revoked key must
 * not take its history with it, and a cascading delete would be refused by those triggers.
 * Nothing personal is stored: ids, an action name, field *names*, a keyed IP hash and a browser family.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: id(),
    workspaceId: text('workspace_id').notNull(),
    actorKind: text('actor_kind', { enum: AUDIT_ACTOR_KINDS }).notNull(),
    /** The member, when a signed-in member acted (or, for `system`, the account an event was about). */
    actorUserId: text('actor_user_id'),
    actorApiKeyId: text('actor_api_key_id'),
    /** `<object>.<verb>`, e.g. `funnel.update`, `deal.move`, `member.invite`. */
    action: text('action').notNull(),
    objectType: text('object_type'),
    objectId: text('object_id'),
    /** Changed field names or a short non-personal note (`fields: name, slug`); never values. */
    summary: text('summary'),
    /** `hashIp(secret, ip)` as the sign-in throttle keys it; never the address. */
    ipHash: text('ip_hash'),
    /** Browser family and system ("Chrome on Linux"), not the full User-Agent. */
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_log_ws_time_idx').on(t.workspaceId, t.createdAt, t.id),
    index('audit_log_ws_action_idx').on(t.workspaceId, t.action, t.createdAt),
    index('audit_log_ws_actor_idx').on(t.workspaceId, t.actorUserId, t.createdAt),
    index('audit_log_ws_object_idx').on(t.workspaceId, t.objectType, t.objectId),
    check('audit_log_actor_kind_ck', sql`${t.actorKind} in ('member','api_key','system')`),
  ],
);
