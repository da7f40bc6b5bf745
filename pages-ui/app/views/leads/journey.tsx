/**
 * What a lead did and sent, as the lead page and the deal page both show it: first and last touch,
 * the funnel stages reached (with when), the journey event by event, and the submissions with quiz
 * answers. Everything here renders a `LeadDetail` from `GET /api/leads/:id`.
 */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { JourneyEvent, LeadDetail, LeadFunnelProgress, LeadSubmission, LeadTouch } from '../../../../workers/contract';
import { FUNNEL_STAGES } from '../../../../workers/contract/leads';
import { api, type ApiError, call, asApiError } from '../../api';
import { InlineError } from '../../shell/feedback';
import { eventLabel, formatDateTime, formatPoints, formatTime, groupByDay, stageLabel, touchSummary } from './labels';
import './leads.css';

export function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (value && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function TouchFacts({ touch }: { touch: LeadTouch }) {
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

export function Touches(props: { first: LeadTouch; last: LeadTouch }) {
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

/**
 * The funnel's six stages as steps: the ones the lead reached with the day they first got there,
 * the furthest one marked, the rest shown as not yet reached.
 */
export function FunnelStages({ progress }: { progress: LeadFunnelProgress }) {
  return (
    <div class="funnel-stages">
      <p class="funnel-stages-head">
        <a href={`/app/funnels/${progress.funnelId}`}>{progress.funnelName}</a>: furthest stage{' '}
        <strong>{stageLabel(progress.furthestStage)}</strong>
      </p>
      <ol class="stage-steps" aria-label={`Stages reached in ${progress.funnelName}`}>
        {FUNNEL_STAGES.map((stage) => {
          const at = progress.reachedAt[stage];
          return (
            <li
              key={stage}
              class={at === null ? 'stage-step' : 'stage-step reached'}
              aria-current={stage === progress.furthestStage ? 'step' : undefined}
            >
              <span class="stage-step-name">{stageLabel(stage)}</span>
              <span class="stage-step-when">{at === null ? 'not reached' : formatDateTime(at)}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** The lead's events, oldest first, by day; older events are fetched a page at a time. */
export function Journey({ lead }: { lead: LeadDetail }) {
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
      setError(asApiError(err, 'The older events did not load.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="journey-heading">
      <h2 id="journey-heading">Journey</h2>
      {lead.funnels.map((f) => (
        <FunnelStages key={f.funnelId} progress={f} />
      ))}
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

export function Submissions({ submissions }: { submissions: LeadSubmission[] }) {
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
