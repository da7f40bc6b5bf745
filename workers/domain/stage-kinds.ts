/** What a pipeline stage means for the deals in it: still open, won, or lost (db/schema.ts stores the kind by name). */
export const STAGE_KINDS = ['open', 'won', 'lost'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];
