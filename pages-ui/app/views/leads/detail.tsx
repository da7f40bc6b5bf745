import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { JourneyEvent, LeadDetail, LeadSubmission, LeadTouch } from '../../../../workers/contract';
import { api, ApiError, call } from '../../api';
import { formatCount, formatMoney } from '../../format';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { View } from '../../shell/view';
import { eventLabel, formatDateTime, formatPoints, formatTime, groupByDay, scoreLineLabel, stageLabel, touchSummary } from './labels';
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
      title={l ? (l.name ?? l.email) : 'Lead'}
      crumbs={CRUMBS}
      lede={l ? [l.name ? l.email : null, l.company, l.phone].filter(Boolean).join(' · ') || undefined : undefined}
    >
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

function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (value && typeof value === 'object') return JSON.stringify(value);
  return String(value);
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

function TouchFacts({ touch }: { touch: LeadTouch }) {
  const rows: Array<[string, string | undefined]> = [
    ['Source', touch.source],
    ['Medium', touch.medium],
    ['Campaign', touch.campaign],
    ['Term', touch.term],
    ['Content', touch.content],
    ['Referrer', touch.referrer],
    ['Landing page', touch.landingPage],
  ];
  const known = rows.filter(([, v]) => v);
  return (
    <dl class="facts">
      {known.length === 0 ? (
        <>
          <dt>Source</dt>
          <dd>Direct (no campaign or referrer)</dd>
        </>
      ) : (
        known.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))
      )}
      {touch.at ? (
        <>
          <dt>When</dt>
          <dd>{formatDateTime(touch.at)}</dd>
        </>
      ) : null}
    </dl>
  );
}

function Touches(props: { first: LeadTouch; last: LeadTouch }) {
  return (
    <section class="panel" aria-labelledby="touch-heading">
      <h2 id="touch-heading">Attribution</h2>
      <h3 class="sub-heading">First touch</h3>
      <TouchFacts touch={props.first} />
      <h3 class="sub-heading">Last touch</h3>
      <TouchFacts touch={props.last} />
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
              <a href={`/app/pipelines/${d.pipeline.id}`}>{d.name}</a>
              <span class="muted">
                {d.pipeline.name} · {d.stage.name}
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

/** The lead's events, oldest first, by day; older events are fetched a page at a time. */
function Journey({ lead }: { lead: LeadDetail }) {
  const [older, setOlder] = useState<JourneyEvent[]>([]);
  const [cursor, setCursor] = useState(lead.journey.olderCursor);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const events = [...older, ...lead.journey.events];

  const loadOlder = async () => {
    if (!cursor) return;
    setBusy(true);
    setError(null);
    try {
      const page = await call(api.leads[':id'].journey.$get({ param: { id: lead.id }, query: { before: cursor } }));
      setOlder((o) => [...page.events, ...o]);
      setCursor(page.olderCursor);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client_error', 'The older events did not load.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="journey-heading">
      <h2 id="journey-heading">Journey</h2>
      {lead.funnels.length ? (
        <ul class="funnel-progress">
          {lead.funnels.map((f) => (
            <li key={f.funnelId}>
              <a href={`/app/funnels/${f.funnelId}`}>{f.funnelName}</a>: furthest stage <strong>{stageLabel(f.furthestStage)}</strong>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? <InlineError error={error} onRetry={() => void loadOlder()} /> : null}
      {cursor ? (
        <button type="button" class="button secondary small" onClick={() => void loadOlder()} disabled={busy}>
          {busy ? 'Loading…' : 'Show older events'}
        </button>
      ) : null}
      {events.length === 0 ? (
        <p class="muted">No visits recorded: the lead came in without visiting a page (an import, the API or an embedded form).</p>
      ) : (
        groupByDay(events).map((group) => (
          <section key={group.day} class="journey-day" aria-label={group.day}>
            <h3 class="sub-heading">{group.day}</h3>
            <ol class="timeline">
              {group.events.map((e) => (
                <li key={e.id} class={`timeline-item${e.stage ? ` stage-${e.stage}` : ''}`}>
                  <time dateTime={new Date(e.occurredAt).toISOString()}>{formatTime(e.occurredAt)}</time>
                  <div class="timeline-body">
                    <span class="timeline-what">
                      {eventLabel(e.type)}
                      {e.page ? <> · {e.page.name}</> : null}
                    </span>
                    <span class="timeline-meta">
                      {e.stage ? <span class="tag">{stageLabel(e.stage)}</span> : null}
                      {e.funnel ? <span class="muted">{e.funnel.name}</span> : null}
                      {e.touch ? <span class="muted">from {touchSummary(e.touch)}</span> : null}
                    </span>
                  </div>
                </li>
              ))}
            </ol>
          </section>
        ))
      )}
    </section>
  );
}

/** Shown in their own places: consent under Consents, the quiz tags with the quiz. */
const HIDDEN_DATA_KEYS = new Set(['consent', 'fields', 'quizTags']);

function Submissions({ submissions }: { submissions: LeadSubmission[] }) {
  return (
    <section class="panel" aria-labelledby="submissions-heading">
      <h2 id="submissions-heading">Submissions</h2>
      {submissions.length === 0 ? (
        <p class="muted">Nothing sent through a form, quiz or chat.</p>
      ) : (
        <ol class="plain-list">
          {submissions.map((s) => {
            const data = Object.entries(s.data).filter(([k, v]) => !HIDDEN_DATA_KEYS.has(k) && v !== '' && v !== null);
            const fields = (s.data.fields ?? {}) as Record<string, unknown>;
            return (
              <li key={s.id} class="submission">
                <p class="submission-head">
                  <strong>{formatDateTime(s.createdAt)}</strong>{' '}
                  <span class="muted">
                    {[s.funnel?.name, s.page?.name].filter(Boolean).join(' · ') || 'Embedded form or API'} · form {s.formId}
                  </span>
                </p>
                <dl class="facts">
                  {[...data, ...Object.entries(fields)].map(([k, v]) => (
                    <Fragment key={k}>
                      <dt>{k}</dt>
                      <dd>{valueText(v)}</dd>
                    </Fragment>
                  ))}
                </dl>
                {s.quiz ? (
                  <div class="quiz-answers">
                    <p>
                      Quiz outcome: <strong>{s.quiz.outcome ? (s.quiz.outcome.title ?? s.quiz.outcome.id) : 'none'}</strong>
                      {s.quiz.score !== null ? <span class="muted"> · score {s.quiz.score}</span> : null}
                    </p>
                    {s.quiz.tags.length ? (
                      <p class="quiz-tags">
                        Tags:{' '}
                        {s.quiz.tags.map((tag, i) => (
                          <Fragment key={tag}>
                            {i > 0 ? ' ' : null}
                            <span class="tag">{tag}</span>
                          </Fragment>
                        ))}
                      </p>
                    ) : null}
                    <ol>
                      {s.quiz.answers.map((a) => (
                        <li key={a.questionId}>
                          <span class="quiz-question">{a.question ?? `Question ${a.questionId}`}</span>{' '}
                          {a.answers.map((ans, i) => (
                            <span key={ans.id}>
                              {i > 0 ? ', ' : '→ '}
                              {ans.label ?? ans.id}
                              {ans.points !== null ? <span class="muted"> ({formatPoints(ans.points)})</span> : null}
                            </span>
                          ))}
                        </li>
                      ))}
                    </ol>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
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
              <blockquote class="consent-wording">{c.wording}</blockquote>
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
