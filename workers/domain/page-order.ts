/**
 * A new page order for a funnel must be a permutation of its pages: every page exactly once, and
 * nothing else. Anything less is refused as a whole (the order is all-or-nothing), with one issue
 * per offending entry so the editor can point at it.
 */
import type { FieldIssue } from './errors';

export function pageOrderIssues(current: readonly string[], proposed: readonly string[], field = 'pageIds'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const known = new Set(current);
  const seen = new Set<string>();
  proposed.forEach((id, i) => {
    if (!known.has(id)) issues.push({ path: `${field}.${i}`, message: 'This is not a page of this funnel.' });
    else if (seen.has(id)) issues.push({ path: `${field}.${i}`, message: 'This page is listed twice.' });
    seen.add(id);
  });
  const missing = current.filter((id) => !seen.has(id));
  if (missing.length) {
    issues.push({
      path: field,
      message: `List every page of the funnel exactly once; missing: ${missing.join(', ')}.`,
    });
  }
  return issues;
}
