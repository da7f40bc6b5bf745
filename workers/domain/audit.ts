/**
 * What the audit log calls each change. Every mutating route gets an action name from its route
 * pattern (`PATCH /api/funnels/:id` → `funnel.update`, `POST /api/deals/:id/move` → `deal.move`),
 * so a new route is recorded without anyone remembering to; `AUDIT_OVERRIDES` names the few
 * routes whose derived name reads poorly, and says which routes are *not* recorded per request
 * (visitors' posts, dry runs, and the events a service records itself, such as sign-in).
 */

export const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type AuditRule =
  | {
      kind: 'record';
      /** `<object>.<verb>`, lower case with underscores. */
      action: string;
      objectType: string;
      /** The path parameter holding the object's id; without one, a create's id is read from its JSON answer. */
      objectParam?: string;
      /** A short, non-personal note from the validated JSON body (e.g. the new role); field names are added anyway. */
      detail?: (body: Record<string, unknown>) => string | undefined;
      /** The one success status that means something was stored; others (an import's dry run answers 200, not 201) are not recorded. */
      changedStatus?: number;
    }
  /** Recorded by the service doing it (sign-in, sign-out, joining a workspace), which knows who and where. */
  | { kind: 'service'; why: string }
  /** Visitors of published pages: not admin changes. */
  | { kind: 'visitor'; why: string }
  /** A POST that stores nothing (previews, dry runs). */
  | { kind: 'not_a_change'; why: string };

export const AUDIT_ACTION_PATTERN = /^[a-z][a-z_]*\.[a-z][a-z_]*$/;

const IRREGULAR: Record<string, string> = { media: 'media', activities: 'activity', deliveries: 'delivery', settings: 'settings' };

function snake(segment: string): string {
  return segment.replace(/[^a-z0-9]+/gi, '_').toLowerCase();
}

function singular(segment: string): string {
  const s = snake(segment);
  if (IRREGULAR[s]) return IRREGULAR[s];
  if (s.endsWith('ies')) return `${s.slice(0, -3)}y`;
  if (s.endsWith('s') && !s.endsWith('ss')) return s.slice(0, -1);
  return s;
}

const isParam = (segment: string) => segment.startsWith(':');
const isCollection = (segment: string) => singular(segment) !== snake(segment);

function verbOf(method: string): string {
  return method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : 'update';
}

/** The rule read off a route pattern alone; `auditRuleFor` applies the overrides first. */
export function deriveAuditRule(method: string, routePath: string): Extract<AuditRule, { kind: 'record' }> {
  const segments = routePath
    .replace(/^\/api(?=\/|$)/, '')
    .split('/')
    .filter(Boolean)
    .filter((s) => s !== 'v1');
  const lastParam = segments.map(isParam).lastIndexOf(true);
  if (lastParam < 0) {
    const [first = 'app', ...rest] = segments;
    const last = rest.at(-1);
    if (!last) return { kind: 'record', action: `${singular(first)}.${verbOf(method)}`, objectType: singular(first) };
    if (method === 'POST' && isCollection(last)) return { kind: 'record', action: `${singular(last)}.create`, objectType: singular(last) };
    const suffix = method === 'POST' ? '' : `_${verbOf(method)}`;
    return { kind: 'record', action: `${singular(first)}.${snake(last)}${suffix}`, objectType: singular(first) };
  }
  const objectType = singular(segments[lastParam - 1] ?? 'object');
  const objectParam = segments[lastParam]!.slice(1);
  const tail = segments.slice(lastParam + 1);
  if (tail.length === 0) return { kind: 'record', action: `${objectType}.${verbOf(method)}`, objectType, objectParam };
  const suffix = method === 'POST' ? '' : `_${verbOf(method)}`;
  if (tail.length === 1) {
    const [only] = tail as [string];
    // `POST /funnels/:id/pages` adds a page; `POST /deals/:id/move` is something done to the deal.
    if (method === 'POST' && isCollection(only)) return { kind: 'record', action: `${singular(only)}.create`, objectType: singular(only) };
    return { kind: 'record', action: `${objectType}.${snake(only)}${suffix}`, objectType, objectParam };
  }
  // `PUT /pipelines/:id/stages/order`, `POST /pipelines/:id/automations/run`.
  return { kind: 'record', action: `${singular(tail[0]!)}.${snake(tail.at(-1)!)}${suffix}`, objectType, objectParam };
}

const role = (body: Record<string, unknown>) => (typeof body.role === 'string' ? `role: ${body.role}` : undefined);

/** Routes whose derived name would read poorly, and routes that are not recorded per request (with why). */
export const AUDIT_OVERRIDES: Record<string, AuditRule> = {
  'POST /p/:funnel': { kind: 'visitor', why: 'A visitor submits a landing-page form.' },
  'POST /p/:funnel/:page': { kind: 'visitor', why: 'A visitor submits a landing-page form.' },
  'POST /embed/forms/:id': { kind: 'visitor', why: 'A visitor submits an embedded form on another site.' },
  'POST /e': { kind: 'visitor', why: 'The tracker’s beacon.' },
  'POST /u/:token': { kind: 'visitor', why: 'A lead unsubscribes with the signed link from an email (the lead’s record shows it).' },

  'POST /api/auth/signup': { kind: 'service', why: 'Sign-up records `workspace.create` or `member.join` in its own transaction.' },
  'POST /signup': { kind: 'service', why: 'Sign-up records `workspace.create` or `member.join` in its own transaction.' },
  'POST /api/auth/login': { kind: 'service', why: 'Sign-in records `auth.sign_in` in each of the member’s workspaces.' },
  'POST /login': { kind: 'service', why: 'Sign-in records `auth.sign_in` in each of the member’s workspaces.' },
  'POST /api/auth/login/two-factor': {
    kind: 'service',
    why: 'The second sign-in step records `auth.sign_in` (and which kind of code) with the session it opens.',
  },
  'POST /login/two-factor': {
    kind: 'service',
    why: 'The second sign-in step records `auth.sign_in` (and which kind of code) with the session it opens.',
  },
  'POST /api/auth/logout': { kind: 'service', why: 'Sign-out records `auth.sign_out` in each of the member’s workspaces.' },
  'POST /logout': { kind: 'service', why: 'Sign-out records `auth.sign_out` in each of the member’s workspaces.' },
  'POST /api/invitations/:token/accept': { kind: 'service', why: 'Accepting records `member.join` in the workspace joined.' },
  'POST /invite/:token': { kind: 'service', why: 'Accepting records `member.join` in the workspace joined.' },

  'POST /api/pages/:id/render': { kind: 'not_a_change', why: 'The editor’s live preview; nothing is stored.' },
  'POST /api/templates/:id/preview': { kind: 'not_a_change', why: 'A template preview’s form; nothing is stored.' },
  'POST /api/funnels/:id/rules/:ruleId/test': { kind: 'not_a_change', why: 'A dry run of a rule; nothing is stored.' },

  // A member's own account: recorded in each of their workspaces, about the member.
  'POST /api/me/two-factor/setup': { kind: 'record', action: 'auth.two_factor_setup', objectType: 'member' },
  'POST /api/me/two-factor/confirm': { kind: 'record', action: 'auth.two_factor_enable', objectType: 'member' },
  'DELETE /api/me/two-factor': { kind: 'record', action: 'auth.two_factor_disable', objectType: 'member' },
  'POST /api/me/two-factor/recovery-codes': { kind: 'record', action: 'auth.recovery_codes_replace', objectType: 'member' },
  'PUT /api/me/notifications': { kind: 'record', action: 'member.notifications_update', objectType: 'member' },
  'DELETE /api/me/sessions': { kind: 'record', action: 'session.revoke_others', objectType: 'session' },
  'DELETE /api/me/sessions/:id': { kind: 'record', action: 'session.revoke', objectType: 'session', objectParam: 'id' },
  'PATCH /api/workspace/members/:userId': {
    kind: 'record',
    action: 'member.role_change',
    objectType: 'member',
    objectParam: 'userId',
    detail: role,
  },
  'DELETE /api/workspace/members/:userId': { kind: 'record', action: 'member.remove', objectType: 'member', objectParam: 'userId' },
  'POST /api/workspace/members/:userId/two-factor/reset': {
    kind: 'record',
    action: 'member.two_factor_reset',
    objectType: 'member',
    objectParam: 'userId',
  },
  'POST /api/workspace/invitations': { kind: 'record', action: 'member.invite', objectType: 'invitation', detail: role },
  'DELETE /api/workspace/invitations/:id': { kind: 'record', action: 'invitation.revoke', objectType: 'invitation', objectParam: 'id' },
  'DELETE /api/workspace/api-keys/:id': { kind: 'record', action: 'api_key.revoke', objectType: 'api_key', objectParam: 'id' },
  'POST /api/imports/deals': { kind: 'record', action: 'deal.import', objectType: 'deal', changedStatus: 201 },
  'POST /api/imports/leads': { kind: 'record', action: 'lead.import', objectType: 'lead', changedStatus: 201 },
  'POST /api/v1/events': { kind: 'record', action: 'server_event.create', objectType: 'server_event' },
  'DELETE /api/pages/:id/preview-links': { kind: 'record', action: 'page.preview_links_revoke', objectType: 'page', objectParam: 'id' },
  'POST /api/pages/:id/versions/:versionId/restore': {
    kind: 'record',
    action: 'page.restore_version',
    objectType: 'page',
    objectParam: 'id',
  },
  'POST /api/webhooks/:id/deliveries/:deliveryId/redeliver': {
    kind: 'record',
    action: 'webhook.redeliver',
    objectType: 'webhook',
    objectParam: 'id',
  },
  'PUT /api/pipelines/:id/stages/order': { kind: 'record', action: 'pipeline.stages_reorder', objectType: 'pipeline', objectParam: 'id' },
  'POST /api/funnels/:id/rules/reorder': { kind: 'record', action: 'funnel.rules_reorder', objectType: 'funnel', objectParam: 'id' },
  'PUT /api/pipelines/:id/automations': { kind: 'record', action: 'automation.update', objectType: 'pipeline', objectParam: 'id' },
  'POST /api/pipelines/:id/automations/run': { kind: 'record', action: 'automation.run', objectType: 'pipeline', objectParam: 'id' },
  'POST /api/templates/:id/funnels': { kind: 'record', action: 'funnel.create_from_template', objectType: 'funnel' },
  'POST /api/media': { kind: 'record', action: 'media.upload', objectType: 'media' },
  'PUT /api/funnels/:id/page-order': { kind: 'record', action: 'funnel.pages_reorder', objectType: 'funnel', objectParam: 'id' },
};

/**
 * The reads worth an entry: downloads of personal data in bulk or of one person (a data subject's
 * access request), so an owner can see who took the leads out of the app and when. Other reads,
 * however many, are not recorded.
 */
export const AUDITED_READS: Record<string, Extract<AuditRule, { kind: 'record' }>> = {
  'GET /api/workspace/export': { kind: 'record', action: 'workspace.export', objectType: 'workspace' },
  'GET /api/leads/:id/export': { kind: 'record', action: 'lead.export', objectType: 'lead', objectParam: 'id' },
  'GET /api/leads/export.csv': { kind: 'record', action: 'lead.export_table', objectType: 'lead' },
  'GET /api/exports/leads': { kind: 'record', action: 'lead.export_csv', objectType: 'lead' },
};

/** `null` for reads other than the downloads in `AUDITED_READS`: only POST, PUT, PATCH and DELETE change anything. */
export function auditRuleFor(method: string, routePath: string): AuditRule | null {
  if (!MUTATING_METHODS.has(method)) return AUDITED_READS[`${method} ${routePath}`] ?? null;
  return AUDIT_OVERRIDES[`${method} ${routePath}`] ?? deriveAuditRule(method, routePath);
}

/**
 * Field names of a change, never their values: top-level keys that look like identifiers (a key
 * made of user data, e.g. a map keyed by email, is left out), at most a dozen.
 */
export function changedFieldNames(body: unknown): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  return Object.keys(body)
    .filter((key) => /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(key))
    .slice(0, 12);
}

/** The action groups the log filters by: `deal` covers `deal.move`, `deal.update` … */
export function actionGroup(action: string): string {
  return action.split('.')[0]!;
}
