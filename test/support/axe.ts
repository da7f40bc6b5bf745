/**
 * axe-core in a real page. Landing pages allow scripts by hash only, so axe is evaluated through
 * the DevTools protocol (outside the page's CSP) rather than added as a `<script>` element the
 * page would refuse, and only when a check runs, so other navigations do not parse it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, ImpactValue, Result } from 'axe-core';

const require = createRequire(import.meta.url);

export const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const BLOCKING: ReadonlySet<ImpactValue> = new Set(['serious', 'critical']);

/** Runs axe on the whole document; returns the serious and critical violations only. */
export async function seriousViolations(page: Page): Promise<Result[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } };
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations.filter((violation) => violation.impact && BLOCKING.has(violation.impact));
}

/** A readable list for a failure message: rule, impact, help and the offending elements. */
export function formatViolations(violations: Result[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes
        .slice(0, 5)
        .map((node) => `    ${node.target.join(' ')}\n      ${node.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`)
        .join('\n');
      return `[${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})\n${nodes}`;
    })
    .join('\n');
}
