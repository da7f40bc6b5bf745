/**
 * Work nobody asked for in a request: the B2C automations of every pipeline that has them on, the
 * `activity.due` webhook of activities whose time has come, the pruning of expired sessions and
 * stale rate-limit counters, and the sweep that hands due webhook deliveries (retries, or ones whose process stopped) to the
 * dispatcher. Workers run it from a Cron Trigger (`scheduled` in cloudflare.ts); Node from the
 * timer below (node.ts). Every step is idempotent, so a tick that overlaps another, or one run
 * twice, changes nothing more than one run would.
 */
import { enabledAutomationPipelines, runPipelineAutomations, type AutomationRunReport } from './automations';
import { serviceContext, type ServiceDeps } from './context';
import { deliverDue } from './webhook-delivery';
import { notifyDueActivities } from './activities';
import { pruneExpired, pruneRawEvents, purgeDeletedFunnelEvents } from './housekeeping';
import { sendDueEmails } from './email';
import { log } from '../logger';

export interface ScheduledRunReport {
  ranAt: number;
  /** Pipelines whose automations ran. */
  pipelines: number;
  /** Deals created or moved, over all pipelines. */
  steps: number;
  /** Webhook deliveries handed to the dispatcher by the sweep. */
  webhookDeliveries: number;
  /** Outbox mail handed to the email dispatcher by the sweep (retries, or rows whose process stopped). */
  emails: number;
  /** Activities whose `activity.due` event this tick wrote. */
  activitiesDue: number;
  /** Expired sessions and stale rate-limit counters deleted. */
  pruned: number;
  /** Raw events past their workspace's retention period deleted (rollups stay). */
  eventsPruned: number;
  /** Raw events of deleted funnels deleted. */
  deletedFunnelEvents: number;
  runs: AutomationRunReport[];
  errors: string[];
}

/**
 * One tick. A pipeline that fails is reported and the others still run; a failed webhook sweep
 * does not stop the automations either. `background` keeps the runtime alive for webhook sends the automations' writes start.
 */
export async function runScheduledWork(deps: ServiceDeps, background: (work: Promise<unknown>) => void): Promise<ScheduledRunReport> {
  const ctx = serviceContext(deps, background);
  const report: ScheduledRunReport = {
    ranAt: deps.clock(),
    pipelines: 0,
    steps: 0,
    webhookDeliveries: 0,
    emails: 0,
    activitiesDue: 0,
    pruned: 0,
    eventsPruned: 0,
    deletedFunnelEvents: 0,
    runs: [],
    errors: [],
  };
  // The sweep first: deliveries the automations write below are handed over as they commit.
  try {
    report.webhookDeliveries = await deliverDue(deps);
  } catch (err) {
    report.errors.push(`webhook sweep: ${message(err)}`);
  }
  try {
    report.emails = await sendDueEmails(deps);
  } catch (err) {
    report.errors.push(`email sweep: ${message(err)}`);
  }
  // After the sweep, so its deliveries are handed over once, as they commit.
  try {
    const due = await notifyDueActivities(ctx);
    report.activitiesDue = due.notified;
    report.errors.push(...due.errors);
  } catch (err) {
    report.errors.push(`activity.due: ${message(err)}`);
  }
  try {
    const pruned = await pruneExpired(deps.database.db, deps.clock());
    report.pruned = pruned.sessions + pruned.rateLimitCounters;
  } catch (err) {
    report.errors.push(`pruning: ${message(err)}`);
  }
  try {
    report.eventsPruned = await pruneRawEvents(deps.database.db, deps.clock());
  } catch (err) {
    report.errors.push(`event retention: ${message(err)}`);
  }
  try {
    report.deletedFunnelEvents = await purgeDeletedFunnelEvents(deps.database.db, deps.clock());
  } catch (err) {
    report.errors.push(`deleted funnels' events: ${message(err)}`);
  }
  let pipelines: Array<{ id: string; workspaceId: string }> = [];
  try {
    pipelines = await enabledAutomationPipelines(deps.database.db);
  } catch (err) {
    report.errors.push(`listing pipelines: ${message(err)}`);
  }
  for (const pipeline of pipelines) {
    try {
      const run = await runPipelineAutomations(ctx, pipeline.workspaceId, pipeline.id);
      report.pipelines++;
      report.steps += run.steps.length;
      report.runs.push(run);
      report.errors.push(...run.errors.map((e) => `pipeline ${pipeline.id}: ${e}`));
    } catch (err) {
      // Turned off (or deleted) since the list was read: nothing to do; anything else is reported.
      if ((err as { code?: string }).code === 'automations_disabled' || (err as { status?: number }).status === 404) continue;
      report.errors.push(`pipeline ${pipeline.id}: ${message(err)}`);
    }
  }
  return report;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A one-line summary for logs, or null when the tick did nothing worth a line. */
export function describeScheduledRun(report: ScheduledRunReport): string | null {
  if (
    report.steps === 0 &&
    report.webhookDeliveries === 0 &&
    report.emails === 0 &&
    report.activitiesDue === 0 &&
    report.pruned === 0 &&
    report.eventsPruned === 0 &&
    report.deletedFunnelEvents === 0 &&
    report.errors.length === 0
  )
    return null;
  const parts = [
    `${report.steps} automation step${report.steps === 1 ? '' : 's'} in ${report.pipelines} pipeline${report.pipelines === 1 ? '' : 's'}`,
  ];
  if (report.pruned) parts.push(`${report.pruned} expired row${report.pruned === 1 ? '' : 's'} pruned`);
  if (report.eventsPruned) parts.push(`${report.eventsPruned} event${report.eventsPruned === 1 ? '' : 's'} past retention deleted`);
  if (report.deletedFunnelEvents)
    parts.push(`${report.deletedFunnelEvents} event${report.deletedFunnelEvents === 1 ? '' : 's'} of deleted funnels deleted`);
  if (report.activitiesDue) parts.push(`${report.activitiesDue} activit${report.activitiesDue === 1 ? 'y' : 'ies'} due announced`);
  if (report.webhookDeliveries)
    parts.push(`${report.webhookDeliveries} webhook deliver${report.webhookDeliveries === 1 ? 'y' : 'ies'} re-sent`);
  if (report.emails) parts.push(`${report.emails} queued email${report.emails === 1 ? '' : 's'} sent on`);
  if (report.errors.length)
    parts.push(`${report.errors.length} error${report.errors.length === 1 ? '' : 's'}: ${report.errors.join('; ')}`);
  return `Scheduler: ${parts.join(', ')}.`;
}

export interface IntervalScheduler {
  /** Stops the timer and waits for a tick in progress, so the database can be closed after it. */
  stop(): Promise<void>;
}

/**
 * Runs `tick` every `intervalMs` on an unref'd timer (it never keeps the process alive), never two
 * at once: a tick still running when the next is due makes that one skip.
 */
export function startIntervalScheduler(tick: () => Promise<void>, intervalMs: number): IntervalScheduler {
  let running: Promise<void> | null = null;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = tick()
      .catch((err) => log.error('Scheduled work failed', { err }))
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
