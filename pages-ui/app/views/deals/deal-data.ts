/**
 * What the deal page loads and how it reads it: the deal (with its stage history), its pipeline's
 * stages, the workspace's members (owners, assignees, who moved it), and the helpers that turn
 * those into the page's words (who, which stage, how long).
 */
import { api, call } from '../../api';

export const fetchDeal = (id: string) => call(api.deals[':id'].$get({ param: { id } }));
export const fetchPipeline = (id: string) => call(api.pipelines[':id'].$get({ param: { id } }));
export const fetchMembers = async () => (await call(api.workspace.members.$get())).members;

export type Deal = Awaited<ReturnType<typeof fetchDeal>>;
export type Pipeline = Awaited<ReturnType<typeof fetchPipeline>>;
export type Stage = Pipeline['stages'][number];
export type Member = Awaited<ReturnType<typeof fetchMembers>>[number];
export type HistoryRow = Deal['history'][number];

export interface DealPageData {
  deal: Deal;
  pipeline: Pipeline;
  members: Member[];
}

/** The deal first (a 404 says it is not in this workspace), then what it points at. */
export async function loadDealPage(id: string): Promise<DealPageData> {
  const deal = await fetchDeal(id);
  const [pipeline, members] = await Promise.all([fetchPipeline(deal.pipelineId), fetchMembers()]);
  return { deal, pipeline, members };
}

/** Who did something, in words: a member's name, or the automation, rule or import that did it. */
export function actorName(actor: string | null, members: Member[]): string {
  if (!actor) return 'Someone';
  const member = members.find((m) => m.userId === actor);
  if (member) return member.name || member.email;
  if (actor.startsWith('automation:')) return `Automation (${actor.slice('automation:'.length).replace(/_/g, ' ')})`;
  if (actor.startsWith('rule:')) return 'A qualification rule';
  if (actor === 'import') return 'An import';
  return 'A former member';
}

export const memberName = (id: string | null, members: Member[]) => {
  if (!id) return 'No one';
  const member = members.find((m) => m.userId === id);
  return member ? member.name || member.email : 'A former member';
};

/** Milliseconds spent in each stage so far: the closed stays from the history, plus the current one until `now`. */
export function timeInStages(deal: Deal, now: number): Map<string, number> {
  const spent = new Map<string, number>();
  for (const row of deal.history) {
    if (row.fromStageId && row.msInFromStage !== null) spent.set(row.fromStageId, (spent.get(row.fromStageId) ?? 0) + row.msInFromStage);
  }
  spent.set(deal.stageId, (spent.get(deal.stageId) ?? 0) + Math.max(0, now - deal.stageEnteredAt));
  return spent;
}

/** The open stage a closed deal goes back to on "Reopen": the last open stage it was in, else the pipeline's first. */
export function reopenStage(deal: Deal, stages: Stage[]): Stage | undefined {
  const open = stages.filter((s) => s.kind === 'open');
  for (const row of deal.history) {
    const stage = open.find((s) => s.id === row.toStageId);
    if (stage) return stage;
  }
  return open[0];
}

/** The stage "Won" and "Lost" move to: the pipeline's chosen one, else its first of that kind. */
export function closingStage(pipeline: Pipeline, kind: 'won' | 'lost'): Stage | undefined {
  const chosen = kind === 'won' ? pipeline.wonStageId : pipeline.lostStageId;
  return pipeline.stages.find((s) => s.id === chosen) ?? pipeline.stages.find((s) => s.kind === kind);
}

const utcDate = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A calendar date stored as midnight UTC (expected close), the same day wherever the member is. */
export const formatCalendarDate = (ms: number) => utcDate.format(ms);
/** `YYYY-MM-DD` for a date input ↔ midnight UTC of that date. */
export const toDateInput = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().slice(0, 10));
export const fromDateInput = (value: string): number | null => (value ? Date.parse(`${value}T00:00:00Z`) : null);
