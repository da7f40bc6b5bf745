/** The shapes the pipeline editor reads and sends, as the typed client infers them from the routes. */
import type { InferRequestType, InferResponseType } from 'hono/client';
import { type ApiError, type api } from '../../api';

export type Pipeline = InferResponseType<(typeof api.pipelines)[':id']['$get'], 200>;
export type Stage = Pipeline['stages'][number];
export type StageKind = Stage['kind'];
export type StagePatch = InferRequestType<(typeof api.pipelines)[':id']['stages'][':stageId']['$patch']>['json'];
export type Automations = InferResponseType<(typeof api.pipelines)[':id']['automations']['$get'], 200>;
export type AutomationConfig = Automations['defaults'];
export type AutomationRun = InferResponseType<(typeof api.pipelines)[':id']['automations']['run']['$post'], 200>['run'];

export const KIND_LABELS: Record<StageKind, string> = { open: 'Open', won: 'Won', lost: 'Lost' };

/** The app's own, re-exported for the editor's modules. */
export { asApiError } from '../../api';

/**
 * The API's per-field messages, plus the conflicts that carry no field path but belong to one
 * (a taken name is the name field's problem, not the form's).
 */
export function fieldErrors(error: ApiError): Record<string, string> {
  const fields = { ...error.fields };
  if (error.code === 'stage_name_taken' || error.code === 'pipeline_name_taken') fields.name ??= error.message;
  return fields;
}

/** Text from a number input: '' stays '' (the API says what it needs), a number is sent as one, anything else as typed. */
export function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}

/** "3 deals", "1 deal". */
export const deals = (n: number) => `${n} ${n === 1 ? 'deal' : 'deals'}`;
