import { api, call } from '../../api';
import { formatCount } from '../../format';
import { InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { Journey, Submissions, Touches } from '../leads/journey';
import { stageLabel } from '../leads/labels';

/**
 * The person behind the deal, from their lead: who they are (linked to the lead's page), first and
 * last touch, the funnel stages they reached, their journey, and what they sent (quiz answers too).
 */
export function LeadPanels(props: { leadId: string | null }) {
  const lead = useResource(
    () => (props.leadId ? call(api.leads[':id'].$get({ param: { id: props.leadId } })) : Promise.resolve(null)),
    [props.leadId],
  );
  if (!props.leadId) {
    return (
      <section class="panel" aria-labelledby="lead-heading">
        <h2 id="lead-heading">Lead</h2>
        <p class="muted">
          No lead is linked: this deal was added by hand or through the API, so there is no journey or submission to show.
        </p>
      </section>
    );
  }
  const l = lead.data;
  return (
    <>
      <section class="panel" aria-labelledby="lead-heading">
        <h2 id="lead-heading">Lead</h2>
        {lead.error ? (
          <InlineError
            error={lead.error.status === 404 ? 'The lead of this deal was deleted.' : lead.error}
            onRetry={lead.error.status === 404 ? undefined : lead.reload}
          />
        ) : null}
        {!l && lead.loading ? <Skeleton rows={2} label="Loading the lead…" /> : null}
        {l ? (
          <dl class="facts">
            <dt>Who</dt>
            <dd>
              <a href={`/app/leads/${l.id}`}>{l.name ?? l.email}</a>
            </dd>
            <dt>Email</dt>
            <dd>
              <a href={`mailto:${l.email}`}>{l.email}</a>
            </dd>
            {l.phone ? (
              <>
                <dt>Phone</dt>
                <dd>
                  <a href={`tel:${l.phone}`}>{l.phone}</a>
                </dd>
              </>
            ) : null}
            {l.company ? (
              <>
                <dt>Company</dt>
                <dd>{l.company}</dd>
              </>
            ) : null}
            <dt>Score</dt>
            <dd>{formatCount(l.score.total)}</dd>
            <dt>Furthest stage</dt>
            <dd>{stageLabel(l.furthestStage)}</dd>
            {l.funnel ? (
              <>
                <dt>Came from</dt>
                <dd>
                  <a href={`/app/funnels/${l.funnel.id}`}>{l.funnel.name}</a>
                </dd>
              </>
            ) : null}
          </dl>
        ) : null}
      </section>
      {l ? (
        <>
          <Touches first={l.firstTouch} last={l.lastTouch} />
          <Journey lead={l} />
          <Submissions submissions={l.submissions} />
        </>
      ) : null}
    </>
  );
}
