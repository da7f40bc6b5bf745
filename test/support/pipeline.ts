/** Helpers for the pipeline and deal API tests: a workspace with members of each role, typed bodies. */
import { expect } from 'vitest';
import type { TestApp, TestClient } from './app';

export interface StageBody {
  id: string;
  name: string;
  kind: 'open' | 'won' | 'lost';
  position: number;
  winProbability: number;
  rottingDays: number | null;
  dealCount: number;
  totals: Array<{ currency: string; count: number; valueMinor: number }>;
}
export interface PipelineBody {
  id: string;
  name: string;
  wonStageId: string | null;
  lostStageId: string | null;
  stages: StageBody[];
}
export interface DealBody {
  id: string;
  name: string;
  pipelineId: string;
  stageId: string;
  position: number;
  valueMinor: number;
  currency: string;
  leadId: string | null;
  ownerId: string | null;
  expectedCloseAt: number | null;
  notes: string | null;
  lostReason: string | null;
  closedAt: number | null;
  stageEnteredAt: number;
  createdAt: number;
  status: 'open' | 'won' | 'lost';
  history?: Array<{ fromStageId: string | null; toStageId: string; msInFromStage: number | null; movedBy: string | null; movedAt: number }>;
}
export interface BoardBody {
  count: number;
  totals: Array<{ currency: string; count: number; valueMinor: number; weightedValueMinor: number }>;
  columns: Array<{
    stage: { id: string; name: string; kind: string; position: number; winProbability: number };
    count: number;
    rottingCount: number;
    truncated: boolean;
    totals: Array<{ currency: string; count: number; valueMinor: number; weightedValueMinor: number }>;
    deals: Array<{
      id: string;
      name: string;
      valueMinor: number;
      currency: string;
      weightedValueMinor: number;
      position: number;
      rotting: boolean;
    }>;
  }>;
}

export async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

/** A member of the owner's workspace with `role`, signed in on their own client. */
export async function member(
  t: TestApp,
  owner: TestClient,
  role: 'editor' | 'viewer',
  email: string,
): Promise<{ client: TestClient; userId: string }> {
  const inv = await json<{ token: string }>(await owner.post('/api/workspace/invitations', { role }), 201);
  const client = t.client();
  const { user } = await client.signup(email, 'correct horse battery', role, { inviteToken: inv.token });
  return { client, userId: user.id };
}

export async function createPipeline(client: TestClient, name: string, template: 'blank' | 'b2b' | 'b2c' = 'b2c'): Promise<PipelineBody> {
  return json<PipelineBody>(await client.post('/api/pipelines', { name, template }), 201);
}

export function stageNamed(pipeline: PipelineBody, name: string): StageBody {
  const stage = pipeline.stages.find((s) => s.name === name);
  if (!stage) throw new Error(`No stage "${name}" in ${pipeline.stages.map((s) => s.name).join(', ')}`);
  return stage;
}

export async function createDeal(client: TestClient, body: Record<string, unknown>): Promise<DealBody> {
  return json<DealBody>(await client.post('/api/deals', body), 201);
}
