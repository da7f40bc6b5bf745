/**
 * The part of the inspector that needs zod: the block schemas as JSON Schema (to build the forms)
 * and the live validation. zod is most of the inspector's weight, so this module is loaded in its
 * own chunk, in parallel with the form's code (see inspector.tsx), and handed to the form here.
 */
import { blockJsonSchema, settingsJsonSchema } from './schema';
import { blockIssues, settingsIssues } from './validation';

export const runtime = { blockJsonSchema, settingsJsonSchema, blockIssues, settingsIssues };
export type InspectorRuntime = typeof runtime;
