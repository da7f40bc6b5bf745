/**
 * The inspector's messages: the block schema's own checks run in the browser on every change
 * (`blockSchema.safeParse`, the very schema the server validates with), merged with what the
 * server said on the last save (`errors`, keyed from the page: `blocks.3.headline`).
 */
import type * as z from 'zod';
import { blockSchema, pageContentSchema } from '../../../../../workers/domain/blocks';
import type { Issues } from './issues';

type RawIssue = z.core.$ZodRawIssue;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * Friendlier words for zod's generic limits. Messages written into the schema (e.g. "This cannot
 * be empty.") take precedence over these, exactly as on the server.
 */
function friendly(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `Use at most ${plural(max, 'character')}.`;
      if (issue.origin === 'array') return `At most ${plural(max, 'item')}.`;
      return `Use ${max.toLocaleString('en-US')} or less.`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'This cannot be empty.' : `Use at least ${plural(min, 'character')}.`;
      if (issue.origin === 'array') return `Add at least ${plural(min, 'item')}.`;
      return `Use ${min.toLocaleString('en-US')} or more.`;
    }
    case 'invalid_type':
      if (issue.expected === 'int') return 'Use a whole number.';
      return issue.input === undefined ? 'This is required.' : undefined;
    default:
      return undefined;
  }
}

function collect(result: { success: true } | { success: false; error: z.ZodError }): Issues {
  const issues: Issues = {};
  if (result.success) return issues;
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.');
    issues[key] ??= issue.message;
  }
  return issues;
}

export function blockIssues(block: unknown): Issues {
  return collect(blockSchema.safeParse(block, { error: friendly }));
}

export function settingsIssues(settings: unknown): Issues {
  return collect(pageContentSchema.shape.settings.safeParse(settings, { error: friendly }));
}

export { mergeIssues, serverIssues, type Issues } from './issues';
