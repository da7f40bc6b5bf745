/** Helpers for the pipeline and deal API tests: a workspace with members of each role; bodies typed by the routes. */
import type { ClientResponse, InferRequestType, InferResponseType } from 'hono/client';
import { expect } from 'vitest';
import type { TestApp, TestClient } from './app';

type Api = TestClient['rpc']['api'];

export type PipelineBody = InferResponseType<Api['pipelines'][':id']['$get'], 200>;
export type StageBody = PipelineBody['stages'][number];
export type DealBody = InferResponseType<Api['deals'][':id']['$get'], 200>;
export type NewDeal = InferRequestType<Api['deals']['$post']>['json'];
export type DealQuery = InferRequestType<Api['deals']['$get']>['query'];
export type BoardBody = InferResponseType<Api['pipelines'][':id']['board']['$get'], 200>;
/** One page of a board column, as its `next` link answers. */
export type ColumnPageBody = InferResponseType<Api['pipelines'][':id']['board']['stages'][':stageId']['$get'], 200>;

/** The body of a typed-client response (`client.rpc…`) once its status is `status`; else the body is the failure message. */
export async function json<R extends ClientResponse<unknown, number, 'json'>>(
  res: R,
  status: R['status'],
): Promise<R extends ClientResponse<infer T, number, 'json'> ? T : never>;
/**
 * The body of a plain response, for requests the typed client does not make (a `next` link the API
 * handed out, a raw upload): name the route's own type as `T` (`InferResponseType`), never a hand-written one.
 */
export async function json<T = unknown>(res: Response, status: number): Promise<T>;
export async function json(res: Response | ClientResponse<unknown>, status: number): Promise<unknown> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text);
}

/** A member of the owner's workspace with `role`, signed in on their own client. */
export async function member(
  t: TestApp,
  owner: TestClient,
  role: 'editor' | 'viewer',
  email: string,
): Promise<{ client: TestClient; userId: string }> {
  const inv = await json(await owner.rpc.api.workspace.invitations.$post({ json: { role } }), 201);
  const client = t.client();
  const { user } = await client.signup(email, 'correct horse battery', role, { inviteToken: inv.token });
  return { client, userId: user.id };
}

export async function createPipeline(client: TestClient, name: string, template: 'blank' | 'b2b' | 'b2c' = 'b2c') {
  return json(await client.rpc.api.pipelines.$post({ json: { name, template } }), 201);
}

export function stageNamed(pipeline: { stages: StageBody[] }, name: string): StageBody {
  const stage = pipeline.stages.find((s) => s.name === name);
  if (!stage) throw new Error(`No stage "${name}" in ${pipeline.stages.map((s) => s.name).join(', ')}`);
  return stage;
}

export async function createDeal(client: TestClient, body: NewDeal) {
  return json(await client.rpc.api.deals.$post({ json: body }), 201);
}
