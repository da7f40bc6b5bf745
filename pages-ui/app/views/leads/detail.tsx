import { Fragment } from 'preact';
import type { LeadDetail } from '../../../../workers/contract';
import { api, call } from '../../api';
import { formatCount, formatMoney } from '../../format';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { View } from '../../shell/view';
import { Journey, Submissions, Touches, valueText } from './journey';
import { formatDateTime, formatPoints, scoreLineLabel, stageLabel } from './labels';
import { LeadPrivacyActions } from './privacy-actions';
import './leads.css';

const CRUMBS = [{ href: '/app/leads', label: 'Leads' }];

/**
 * One lead: who they are, their score and why, where they came from, what they did (the journey,
 * page by page with the stage each step counts for), what they sent, what they agreed to (the exact
 * wording), and the deals made from them.
 */
export default function LeadView(props: { id: string }) {
  const lead = useResource(() => call(api.leads[':id'].$get({ param: { id: props.id } })), [props.id]);
  const l = lead.data;

  if (lead.error?.status === 404) {
    return (
      <View title="Lead not found" crumbs={CRUMBS}>
        <EmptyState title="There is no such lead in this workspace" action={<a href="/app/leads">See all leads</a>}>
          It may have been deleted, or it belongs to another of your workspaces: switch workspace in the menu.
        </EmptyState>
      </View>
    );
  }

  return (
    <View
      title={l ? (l.erasedAt !== null ? 'Erased lead' : (l.name ?? l.email)) : 'Lead'}
      crumbs={CRUMBS}
      lede={l && l.erasedAt === null ? [l.name ? l.email : null, l.company, l.phone].filter(Boolean).join(' · ') || undefined : undefined}
      actions={l ? <LeadPrivacyActions lead={l} onErased={() => lead.reload()} /> : undefined}
    >
      {l && l.erasedAt !== null ? (
        <p class="notice erased-notice" role="status">
          This lead’s personal data was erased on {formatDateTime(l.erasedAt)}. Its journey, stages and deals still count in your reports,
          without anything that identifies the person.
        </p>
      ) : null}
      {lead.error ? <InlineError error={lead.error} onRetry={() => lead.reload()} title="The lead did not load." /> : null}
      {!l && lead.loading ? <Skeleton rows={6} label="Loading the lead…" /> : null}
      {l ? <LeadBody lead={l} /> : null}
    </View>
  );
}

function LeadBody({ lead }: { lead: LeadDetail }) {
  return (
    <>
      <dl class="lead-summary">
        <div>
          <dt>Score</dt>
          <dd>{formatCount(lead.score.total)}</dd>
        </div>
        <div>
          <dt>Furthest stage</dt>
          <dd>{stageLabel(lead.furthestStage)}</dd>
        </div>
        <div>
          <dt>Qualified</dt>
          <dd>{lead.qualifiedAt ? formatDateTime(lead.qualifiedAt) : 'Not yet'}</dd>
        </div>
        <div>
          <dt>Came from</dt>
          <dd>{lead.funnel ? <a href={`/app/funnels/${lead.funnel.id}`}>{lead.funnel.name}</a> : 'No funnel (import or API)'}</dd>
        </div>
        <div>
          <dt>Last active</dt>
          <dd>{formatDateTime(lead.lastActivityAt)}</dd>
        </div>
      </dl>
      <div class="lead-columns">
        <div class="lead-side">
          <Contact lead={lead} />
          <Score lead={lead} />
          <Touches first={lead.firstTouch} last={lead.lastTouch} />
          <Deals lead={lead} />
        </div>
        <div class="lead-main">
          <Journey lead={lead} />
          <Submissions submissions={lead.submissions} />
          <Consents lead={lead} />
        </div>
      </div>
    </>
  );
}

function Contact({ lead }: { lead: LeadDetail }) {
  const extra = Object.entries(lead.fields).filter(([, v]) => v !== null && v !== '' && v !== undefined);
  return (
    <section class="panel" aria-labelledby="contact-heading">
      <h2 id="contact-heading">Contact</h2>
      <dl class="facts">
        <dt>Email</dt>
        <dd>
          <a href={`mailto:${lead.email}`}>{lead.email}</a>
        </dd>
        <dt>Name</dt>
        <dd>{lead.name ?? '—'}</dd>
        <dt>Phone</dt>
        <dd>{lead.phone ? <a href={`tel:${lead.phone}`}>{lead.phone}</a> : '—'}</dd>
        <dt>Company</dt>
        <dd>{lead.company ?? '—'}</dd>
        {lead.quizOutcome ? (
          <>
            <dt>Quiz outcome</dt>
            <dd>{lead.quizOutcome}</dd>
          </>
        ) : null}
        {extra.map(([key, value]) => (
          <Fragment key={key}>
            <dt>{key}</dt>
            <dd>{valueText(value)}</dd>
          </Fragment>
        ))}
        <dt>Added</dt>
        <dd>{formatDateTime(lead.createdAt)}</dd>
      </dl>
    </section>
  );
}

function Score({ lead }: { lead: LeadDetail }) {
  const byFunnel = new Map<string, { name: string; lines: LeadDetail['score']['lines'] }>();
  for (const line of lead.score.lines) {
    const group = byFunnel.get(line.funnelId) ?? { name: line.funnelName, lines: [] };
    group.lines.push(line);
    byFunnel.set(line.funnelId, group);
  }
  return (
    <section class="panel" aria-labelledby="score-heading">
      <h2 id="score-heading">
        Score <span class="score-total">{formatCount(lead.score.total)}</span>
      </h2>
      {lead.score.lines.length === 0 ? (
        <p class="muted">No points yet: the lead has done nothing a funnel’s scoring counts.</p>
      ) : (
        [...byFunnel.entries()].map(([id, group]) => (
          <table class="score-table" key={id}>
            <caption>
              Points from <a href={`/app/funnels/${id}`}>{group.name}</a>
            </caption>
            <thead class="visually-hidden">
              <tr>
                <th scope="col">For</th>
                <th scope="col">Points</th>
              </tr>
            </thead>
            <tbody>
              {group.lines.map((line) => (
                <tr key={`${line.kind}:${line.key}`}>
                  <td>{scoreLineLabel(line)}</td>
                  <td class="num">{formatPoints(line.points)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))
      )}
    </section>
  );
}

function Deals({ lead }: { lead: LeadDetail }) {
  return (
    <section class="panel" aria-labelledby="deals-heading">
      <h2 id="deals-heading">Deals</h2>
      {lead.deals.length === 0 ? (
        <p class="muted">
          No deal yet. A deal is made when the lead meets a qualification rule of their funnel, or you add one on a{' '}
          <a href="/app/pipelines">pipeline board</a>.
        </p>
      ) : (
        <ul class="plain-list">
          {lead.deals.map((d) => (
            <li key={d.id} class="deal-line">
              <a href={`/app/deals/${d.id}`}>{d.name}</a>
              <span class="muted">
                <a href={`/app/pipelines/${d.pipeline.id}`}>{d.pipeline.name}</a> · {d.stage.name}
              </span>
              <span>
                <span class={`status status-${d.status}`}>{d.status === 'open' ? 'Open' : d.status === 'won' ? 'Won' : 'Lost'}</span>{' '}
                {formatMoney(d.valueMinor, d.currency)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Consents({ lead }: { lead: LeadDetail }) {
  return (
    <section class="panel" aria-labelledby="consents-heading">
      <h2 id="consents-heading">Consent</h2>
      {lead.consents.length === 0 ? (
        <p class="muted">No consent recorded: the forms this lead sent asked for none.</p>
      ) : (
        <ul class="plain-list">
          {lead.consents.map((c) => (
            <li key={c.id} class="consent">
              {c.wording === '' && c.wordingSha256 ? (
                <p class="muted small">
                  Wording erased with the lead; its SHA-256 fingerprint stays as proof: {c.wordingSha256.slice(0, 16)}…
                </p>
              ) : (
                <blockquote class="consent-wording">{c.wording}</blockquote>
              )}
              <p class="muted small">
                Agreed {formatDateTime(c.grantedAt)}
                {c.pageVersionId ? <> on page version {c.pageVersionId}</> : null}
                {c.ipHash ? <> · IP hash {c.ipHash.slice(0, 12)}…</> : null}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
