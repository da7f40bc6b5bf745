import { useLocation } from 'preact-iso/router';
import type { AuditEntry } from '../../../../workers/contract/audit';
import { api, call } from '../../api';
import { useCursorPages } from '../../shell/cursor-pages';
import { DateRangeFilter } from '../../shell/date-range-filter';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { isOwner, workspaceId } from '../../state';
import { OwnerOnlyNote, SettingsView } from './frame';
import './audit-log.css';

const PAGE_SIZE = 50;

/** The action groups the filter offers, in the order a marketer thinks of them. */
const GROUPS: Array<[string, string]> = [
  ['funnel', 'Funnels'],
  ['page', 'Pages'],
  ['media', 'Media'],
  ['lead', 'Leads'],
  ['pipeline', 'Pipelines'],
  ['stage', 'Pipeline stages'],
  ['deal', 'Deals'],
  ['activity', 'Activities'],
  ['automation', 'Automations'],
  ['rule', 'Qualification rules'],
  ['webhook', 'Webhooks'],
  ['member', 'Members'],
  ['invitation', 'Invitations'],
  ['api_key', 'API keys'],
  ['server_event', 'Server events (API)'],
  ['workspace', 'Workspace settings'],
  ['auth', 'Sign-ins and two-factor'],
  ['session', 'Sessions'],
];

/** What the log says for the actions a marketer meets most; any other reads from its name ("webhook · rotate secret"). */
const ACTION_LABELS: Record<string, string> = {
  'auth.sign_in': 'Signed in',
  'auth.sign_out': 'Signed out',
  'auth.lockout': 'Account locked after failed sign-ins',
  'auth.two_factor_setup': 'Started setting up two-factor authentication',
  'auth.two_factor_enable': 'Turned on two-factor authentication',
  'auth.two_factor_disable': 'Turned off two-factor authentication',
  'auth.recovery_codes_replace': 'Replaced the two-factor recovery codes',
  'member.notifications_update': 'Changed their email notifications',
  'lead.export': 'Downloaded a lead’s data',
  'lead.export_table': 'Downloaded leads as CSV',
  'lead.export_csv': 'Downloaded leads as CSV',
  'lead.erase': 'Erased a lead’s personal data',
  'workspace.export': 'Downloaded the whole workspace',
  'workspace.turnstile_secret_update': 'Set the Turnstile secret key',
  'workspace.turnstile_secret_delete': 'Removed the Turnstile secret key',
  'funnel.turnstile_update': 'Changed a funnel’s Turnstile check',
  'member.invite': 'Invited a member',
  'member.join': 'Joined the workspace',
  'member.role_change': 'Changed a member’s role',
  'member.remove': 'Removed a member',
  'workspace.create': 'Created the workspace',
  'workspace.update': 'Renamed the workspace',
  'workspace.settings_update': 'Changed tracking and embedding settings',
  'api_key.create': 'Created an API key',
  'api_key.revoke': 'Revoked an API key',
  'deal.move': 'Moved a deal',
  'page.publish': 'Published a page',
  'page.unpublish': 'Unpublished a page',
  'server_event.create': 'Sent a server event',
  'session.revoke': 'Signed out a session',
  'session.revoke_others': 'Signed out all other sessions',
};

const VERBS: Record<string, string> = {
  create: 'Created',
  update: 'Updated',
  delete: 'Deleted',
  import: 'Imported',
  duplicate: 'Duplicated',
};
const OBJECT_NAMES: Record<string, string> = { api_key: 'API key', server_event: 'server event', stage: 'pipeline stage', rule: 'rule' };

function describeAction(action: string): string {
  if (ACTION_LABELS[action]) return ACTION_LABELS[action];
  const [object = '', verb = ''] = action.split('.');
  const name = OBJECT_NAMES[object] ?? object.replace(/_/g, ' ');
  if (VERBS[verb]) return `${VERBS[verb]} a ${name}`;
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} · ${verb.replace(/_/g, ' ')}`;
}

/** Where the app shows an object, for a link from its entry; null where it has no page of its own. */
function objectHref(e: AuditEntry): string | null {
  if (!e.objectId) return null;
  switch (e.objectType) {
    case 'deal':
      return e.action === 'deal.delete' ? null : `/app/deals/${e.objectId}`;
    case 'funnel':
      return e.action === 'funnel.delete' ? null : `/app/funnels/${e.objectId}`;
    case 'lead':
      return `/app/leads/${e.objectId}`;
    case 'pipeline':
      return e.action === 'pipeline.delete' ? null : `/app/pipelines/${e.objectId}`;
    case 'webhook':
      return e.action === 'webhook.delete' ? null : `/app/settings/webhooks/${e.objectId}`;
    case 'member':
      return '/app/settings/members';
    case 'api_key':
      return '/app/settings/api-keys';
    default:
      return null;
  }
}

const OBJECT_LABELS: Record<string, string> = { api_key: 'API key', server_event: 'Server event', stage: 'Pipeline stage' };
const objectLabel = (type: string) => OBJECT_LABELS[type] ?? `${type.charAt(0).toUpperCase()}${type.slice(1).replace(/_/g, ' ')}`;

const exact = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });

function relativeTime(ms: number, now = Date.now()): string {
  const seconds = Math.round((ms - now) / 1000);
  if (Math.abs(seconds) < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return relative.format(hours, 'hour');
  const days = Math.round(hours / 24);
  if (Math.abs(days) < 30) return relative.format(days, 'day');
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(ms);
}

interface Filters {
  member: string;
  group: string;
  from: string;
  to: string;
}

function parseFilters(query: Record<string, string>): Filters {
  const day = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : '');
  return {
    member: query.member ?? '',
    group: GROUPS.some(([g]) => g === query.group) ? query.group! : '',
    from: day(query.from),
    to: day(query.to),
  };
}

function filtersToSearch(f: Filters): string {
  const params = new URLSearchParams(Object.entries(f).filter(([, v]) => v !== ''));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The days are the member's own (local midnight to the end of the day), sent as exact times. */
function toApiQuery(f: Filters): Record<string, string> {
  const query: Record<string, string> = {};
  if (f.member) query.actor = f.member;
  if (f.group) query.action = f.group;
  if (f.from) query.from = new Date(`${f.from}T00:00:00`).toISOString();
  if (f.to) query.to = new Date(`${f.to}T23:59:59.999`).toISOString();
  return query;
}

/** Settings › Audit log: every change in the workspace, who made it and from where. Owners only. */
export default function AuditLog() {
  const { query, route, path } = useLocation();
  const filters = parseFilters(query);
  const key = filtersToSearch(filters);
  const owner = isOwner.value;
  const log = useCursorPages<AuditEntry>(
    async (cursor) => {
      // Editors see the owners-only note and nothing is asked for (the API would refuse them).
      if (!owner) return { items: [], nextCursor: null };
      const page = await call(
        api.audit.$get({ query: { ...toApiQuery(filters), limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) } }),
      );
      return { items: page.entries, nextCursor: page.nextCursor };
    },
    [key, owner],
    { keepWhileLoading: true },
  );
  const members = useResource(() => (owner ? call(api.workspace.members.$get()) : Promise.resolve(null)), [owner]);

  const go = (next: Filters) => route(`${path}${filtersToSearch(next)}`);

  const narrowed = key !== '';
  const entries = log.items;

  return (
    <SettingsView
      title="Audit log"
      lede="Every change in this workspace: who made it, to what, when, and from which device. Entries cannot be edited or deleted."
      actions={
        owner ? (
          <a class="button secondary" href={exportUrl(filters)} download>
            Download CSV<span class="visually-hidden"> of the {narrowed ? 'filtered ' : ''}audit log</span>
          </a>
        ) : undefined
      }
    >
      <OwnerOnlyNote>Only owners read the audit log.</OwnerOnlyNote>
      {owner ? (
        <>
          <FilterBar filters={filters} members={members.data?.members ?? []} onChange={go} />
          <p class="audit-status" role="status" aria-live="polite">
            {log.stale ? 'Updating…' : log.loaded ? `${entries.length}${log.hasMore ? '+' : ''} entries${narrowed ? ' match' : ''}` : ''}
          </p>
          {log.error ? <InlineError error={log.error} onRetry={log.reload} title="The audit log did not load." /> : null}
          {!log.loaded && log.loading ? <Skeleton rows={6} label="Loading the audit log…" /> : null}
          {log.loaded && entries.length === 0 && !log.error ? (
            narrowed ? (
              <EmptyState
                title="Nothing matches these filters"
                action={
                  <button type="button" class="button" onClick={() => go({ member: '', group: '', from: '', to: '' })}>
                    Clear filters
                  </button>
                }
              >
                Widen the dates, pick another member or kind of change, or clear the filters to see everything.
              </EmptyState>
            ) : (
              <EmptyState title="No changes recorded yet" action={<a href="/app/funnels">Go to your funnels</a>}>
                When anyone in the workspace builds a funnel, moves a deal, invites a member or signs in, it shows up here.
              </EmptyState>
            )
          ) : null}
          {entries.length ? <AuditTable entries={entries} /> : null}
          {log.moreError ? <InlineError error={log.moreError} onRetry={log.loadMore} /> : null}
          {log.hasMore ? (
            <div class="load-more">
              <button type="button" class="button secondary" onClick={log.loadMore} disabled={log.moreBusy}>
                {log.moreBusy ? 'Loading…' : `Load ${PAGE_SIZE} older entries`}
              </button>
            </div>
          ) : null}
        </>
      ) : null}
    </SettingsView>
  );
}

/** The CSV of exactly these filters; a link carries the workspace in the query (no header). */
function exportUrl(filters: Filters): string {
  const url = api.audit.export.$url({ query: toApiQuery(filters) });
  if (workspaceId.value) url.searchParams.set('workspace', workspaceId.value);
  return `${url.pathname}${url.search}`;
}

function FilterBar(props: { filters: Filters; members: Array<{ userId: string; name: string }>; onChange: (f: Filters) => void }) {
  const { filters, members, onChange } = props;
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  const on = Object.values(filters).filter(Boolean).length;
  return (
    <fieldset class="audit-filters">
      <legend class="visually-hidden">Filter the audit log</legend>
      <div class="filter">
        <label for="audit-member">Member</label>
        <select id="audit-member" value={filters.member} onChange={(e) => set({ member: e.currentTarget.value })}>
          <option value="">Everyone</option>
          {members.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name}
            </option>
          ))}
          {filters.member && !members.some((m) => m.userId === filters.member) ? (
            <option value={filters.member}>Former member</option>
          ) : null}
        </select>
      </div>
      <div class="filter">
        <label for="audit-group">Kind of change</label>
        <select id="audit-group" value={filters.group} onChange={(e) => set({ group: e.currentTarget.value })}>
          <option value="">All changes</option>
          {GROUPS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <DateRangeFilter idPrefix="audit" labels={{ from: 'From', to: 'To' }} from={filters.from} to={filters.to} onChange={set} />
      {on ? (
        <button
          type="button"
          class="button secondary small clear-filters"
          onClick={() => onChange({ member: '', group: '', from: '', to: '' })}
        >
          Clear filters
        </button>
      ) : null}
    </fieldset>
  );
}

function Actor(props: { entry: AuditEntry }) {
  const { actor } = props.entry;
  if (actor.kind === 'api_key') return <span>API key {actor.apiKeyName ?? '(deleted)'}</span>;
  if (actor.kind === 'system') return <span>Leadflare{actor.name ? ` (about ${actor.name})` : ''}</span>;
  return <span>{actor.name ?? 'Former member'}</span>;
}

function AuditTable(props: { entries: AuditEntry[] }) {
  return (
    <table class="table stack audit-table">
      <caption class="visually-hidden">Audit log entries, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Who</th>
          <th scope="col">What</th>
          <th scope="col">Object</th>
          <th scope="col">When</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((e) => {
          const href = objectHref(e);
          return (
            <tr key={e.id}>
              <td data-label="Who">
                <Actor entry={e} />
                {e.device || e.ipHash ? (
                  <span class="audit-origin muted small">
                    {e.device ?? 'Unknown device'}
                    {e.ipHash ? <span title={`IP hash ${e.ipHash}`}> · IP #{e.ipHash.slice(0, 6)}</span> : null}
                  </span>
                ) : null}
              </td>
              <td data-label="What">
                <span>{describeAction(e.action)}</span>
                <code class="audit-action">{e.action}</code>
                {e.summary ? <span class="audit-summary muted small">{e.summary}</span> : null}
              </td>
              <td data-label="Object">
                {e.objectType ? (
                  href ? (
                    <a href={href}>
                      {objectLabel(e.objectType)}
                      {e.objectId ? <span class="audit-id"> {e.objectId.slice(-6)}</span> : null}
                    </a>
                  ) : (
                    <span>
                      {objectLabel(e.objectType)}
                      {e.objectId ? <span class="audit-id muted"> {e.objectId.slice(-6)}</span> : null}
                    </span>
                  )
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
              <td data-label="When">
                <time dateTime={new Date(e.createdAt).toISOString()} title={exact.format(e.createdAt)}>
                  {relativeTime(e.createdAt)}
                </time>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
