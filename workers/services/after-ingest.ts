/**
 * After an ingest batch commits: leads whose visitors just did something new are rescored and
 * run through their funnels' qualification rules, so a known visitor who reads the offer or
 * comes back can become a deal without anyone touching it. A failure here is logged and never
 * undoes or retries the stored events. (A capture's own event does not come through here: the
 * capture qualifies its lead in its own transaction, services/capture.ts.)
 */
import { serviceContext, type ServiceDeps } from './context';
import type { IngestResult } from './ingest';
import { qualifyLeadsForVisitors } from './qualification';
import { log } from '../logger';

export async function qualifyChangedVisitors(
  deps: ServiceDeps,
  result: Pick<IngestResult, 'changedVisitors'>,
  background: (work: Promise<unknown>) => void,
): Promise<void> {
  for (const [workspaceId, visitorIds] of result.changedVisitors) {
    try {
      await qualifyLeadsForVisitors(serviceContext(deps, background), workspaceId, visitorIds);
    } catch (err) {
      log.error('Qualifying leads after ingest failed', { workspaceId, err });
    }
  }
}
