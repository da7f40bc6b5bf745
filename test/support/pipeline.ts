/** Helpers for the pipeline and deal API tests: a workspace with members of each role; bodies typed by the routes. */
import type { InferRequestType, InferResponseType } from 'hono/client';
import type { TestApp, TestClient } from './app';
import { json } from './responses';

export { json };

type Api = TestClient['rpc']['api'];

export type PipelineBody = InferResponseType<Api['pipelines'][':id']['$get'], 200>;
export type StageBody = PipelineBody['stages'][number];
export type DealBody = InferResponseType<Api['deals'][':id']['$get'], 200>;
export type NewDeal = InferRequestType<Api['deals']['$post']>['json'];
export type DealQuery = InferRequestType<Api['deals']['$get']>['query'];
export type BoardBody = InferResponseType<Api['pipelines'][':id']['board']['$get'], 200>;
/** What a spreadsheet import answers; CSV and multipart uploads go through the untyped client and read it with `json<ImportReport>`. */
export type ImportReport = InferResponseType<Api['imports']['deals']['$post']>;
/** One page of a board column, as its `next` link answers. */
export type ColumnPageBody = InferResponseType<Api['pipelines'][':id']['board']['stages'][':stageId']['$get'], 200>;

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
