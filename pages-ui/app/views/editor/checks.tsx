/**
 * The accessibility check, run in the browser on every change (the same pure module the server's
 * GET /api/pages/:id/checks uses): missing alt text, contrast, empty or dead links, heading order.
 * Each finding names its block and selects it, so the fix is one click away.
 */
import type { AccessibilityFinding } from '../../../../workers/contract/page-editor';
import type { ReadonlySignal } from '@preact/signals';
import type { Block, PageContent } from '../../../../workers/domain/blocks';
import { BLOCK_INFO } from './block-meta';

export interface CheckCounts {
  errors: number;
  warnings: number;
}

export function countFindings(findings: AccessibilityFinding[]): CheckCounts {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}

export function countsText(counts: CheckCounts): string {
  if (counts.errors + counts.warnings === 0) return 'No accessibility problems found';
  const parts = [];
  if (counts.errors) parts.push(`${counts.errors} problem${counts.errors === 1 ? '' : 's'} to fix`);
  if (counts.warnings) parts.push(`${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** The findings as a list of buttons; choosing one selects its block (or the page settings). */
export function FindingsList(props: { findings: AccessibilityFinding[]; blocks: Block[]; onSelect: (blockId: string | null) => void }) {
  if (props.findings.length === 0) return <p class="checks-clear">No accessibility problems found.</p>;
  return (
    <ul class="findings">
      {props.findings.map((f, i) => {
        const block = f.blockId ? props.blocks.find((b) => b.id === f.blockId) : undefined;
        const where = block ? `${BLOCK_INFO[block.type].label} (block ${f.blockIndex! + 1})` : 'Page settings';
        return (
          <li key={`${f.path}-${f.rule}-${i}`}>
            <button type="button" class={`finding finding-${f.severity}`} onClick={() => props.onSelect(f.blockId)}>
              <span class="finding-severity">{f.severity === 'error' ? 'Fix' : 'Check'}</span>
              <span class="finding-text">
                <span class="finding-where">{where}</span> {f.message}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** The outline's summary of the checks: a count that opens the list. */
export function ChecksPanel(props: {
  findings: ReadonlySignal<AccessibilityFinding[]>;
  blocks: ReadonlySignal<PageContent>;
  onSelect: (blockId: string | null) => void;
}) {
  const findings = props.findings.value;
  const counts = countFindings(findings);
  return (
    <details class="checks" open={counts.errors > 0}>
      <summary>
        <span class={counts.errors ? 'checks-badge checks-errors' : counts.warnings ? 'checks-badge checks-warnings' : 'checks-badge'}>
          {counts.errors + counts.warnings}
        </span>{' '}
        Accessibility: {countsText(counts)}
      </summary>
      <FindingsList findings={findings} blocks={props.blocks.value.blocks} onSelect={props.onSelect} />
    </details>
  );
}
