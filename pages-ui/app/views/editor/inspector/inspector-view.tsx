/**
 * The page editor's inspector: the selected block's form — generated from the block schema, with
 * builders for quizzes and forms — or, with no block selected, the page's theme and SEO settings.
 * Every change goes to the editor as a whole new value (it keeps the undo history and saves);
 * every value is checked at once with the block schema the server uses, and the server's own
 * messages from the last save stay next to their fields until those fields change.
 */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { Block } from '../../../../../workers/domain/blocks';
import type { InspectorProps } from '../inspector-contract';
import { FieldControl } from './controls';
import { buildFieldModel, type FieldNode } from './field-model';
import { ConsentEditor, FormFieldsEditor } from './form-builder';
import { announce, announcement, controlId, FieldList, FormContext, type FormCtx } from './form-context';
import { SeoPanel, splitSettingsIssues, ThemePanel } from './page-panels';
import { OutcomesEditor, QuestionsEditor, QuizWalk } from './quiz-builder';
import type { BlockType } from './schema';
import { BLOCK_TYPE_LABELS, FIELD_HINTS } from './ui-hints';
import { mergeIssues, serverIssues, type Issues } from './issues';
import { schemaRuntime } from './use-runtime';
import { getIn, setIn } from './values';

const models = new Map<BlockType, FieldNode[]>();

/** The form of a block type, built once from its JSON Schema. */
export function blockModel(type: BlockType): FieldNode[] {
  let model = models.get(type);
  if (!model) models.set(type, (model = buildFieldModel(schemaRuntime().blockJsonSchema(type), type, FIELD_HINTS)));
  return model;
}

const CAPTURE_FORM = { fields: FormFieldsEditor, consent: ConsentEditor };
const OVERRIDES: Partial<Record<BlockType, FormCtx['overrides']>> = {
  quiz: { questions: QuestionsEditor, outcomes: OutcomesEditor, consent: ConsentEditor },
  lead_form: CAPTURE_FORM,
  lead_magnet: CAPTURE_FORM,
  chat_capture: { consent: ConsentEditor },
};

/**
 * The server's messages that still apply: each is dropped once the value it was about has
 * changed since the messages arrived (the next save brings the server's new verdict).
 */
function useFreshServerIssues(server: Issues, value: unknown): Issues {
  // By content: the editor hands a new errors object with every change, the same messages included.
  const key = JSON.stringify(server);
  const snapshot = useRef<{ key: string; value: unknown } | null>(null);
  if (snapshot.current?.key !== key) snapshot.current = { key, value };
  const then = snapshot.current.value;
  const fresh: Issues = {};
  for (const [key, message] of Object.entries(server)) {
    const path = key ? key.split('.') : [];
    if (JSON.stringify(getIn(value, path)) === JSON.stringify(getIn(then, path))) fresh[key] = message;
  }
  return fresh;
}

/** "Question 2 › Answer 1 › Points": where an issue is, in the form's own words. */
export function describePath(fields: FieldNode[], path: string[]): string {
  const parts: string[] = [];
  let level: FieldNode[] = fields;
  let node: FieldNode | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (node?.kind === 'array' && /^\d+$/.test(segment)) {
      parts.push(`${node.itemLabel[0]!.toUpperCase()}${node.itemLabel.slice(1)} ${Number(segment) + 1}`);
      node = node.item;
      level = node.kind === 'object' ? node.fields : [];
      continue;
    }
    node =
      level.find((f) => f.key === segment) ??
      (node?.kind === 'variant' ? node.variants.flatMap((v) => v.fields).find((f) => f.key === segment) : undefined);
    if (!node) {
      parts.push(segment);
      continue;
    }
    // A list's own label is said by its items ("Question 2"), unless the path ends at the list.
    if (node.kind !== 'array' || i === path.length - 1) parts.push(node.label);
    level = node.kind === 'object' ? node.fields : node.kind === 'variant' ? node.variants.flatMap((v) => v.fields) : [];
  }
  return parts.join(' › ') || 'This block';
}

/** The nearest control for a path (or its closest parent that has one), to jump to from the summary. */
function focusIssue(scope: string, key: string): void {
  const path = key ? key.split('.') : [];
  for (let n = path.length; n >= 0; n--) {
    const el = document.getElementById(controlId({ scope }, path.slice(0, n)));
    const target =
      el && (el.matches('input, select, textarea, button') ? el : el.querySelector<HTMLElement>('input, select, textarea, button'));
    if (target) {
      target.focus();
      target.scrollIntoView({ block: 'center' });
      return;
    }
  }
}

/** Problems of the form in one list (with a way to each), announced politely as they come and go. */
function IssueSummary(props: { issues: Issues; fields: FieldNode[]; scope: string; what: string }) {
  const entries = Object.entries(props.issues);
  const keys = entries.map(([k, m]) => `${k}:${m}`).join('|');
  const last = useRef({ count: 0, timer: 0 });
  useEffect(() => {
    // Said once typing pauses, not on every keystroke.
    window.clearTimeout(last.current.timer);
    last.current.timer = window.setTimeout(() => {
      const count = entries.length;
      if (count === last.current.count) return;
      if (count === 0) announce(`No problems left in ${props.what}.`);
      else {
        const [key, message] = entries[0]!;
        announce(
          `${count} ${count === 1 ? 'problem' : 'problems'} in ${props.what}. ${describePath(props.fields, key ? key.split('.') : [])}: ${message}`,
        );
      }
      last.current.count = count;
    }, 700);
    return () => window.clearTimeout(last.current.timer);
  }, [keys]);
  if (!entries.length) return null;
  return (
    <section class="insp-issues" aria-labelledby={`insp-issues-${props.scope}`}>
      <h3 id={`insp-issues-${props.scope}`}>
        {entries.length === 1 ? '1 thing to fix' : `${entries.length} things to fix`}
        <span class="muted"> — your changes are kept here and saved once these are fixed</span>
      </h3>
      <ul>
        {entries.map(([key, message]) => (
          <li key={key}>
            <button type="button" class="link-button" onClick={() => focusIssue(props.scope, key)}>
              {describePath(props.fields, key ? key.split('.') : [])}
            </button>
            : {message}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * For a viewer every control is disabled, which leaves nothing to focus in the scrolling pane: the
 * inspector itself becomes a focusable, named region, so the keyboard can reach and scroll it.
 */
function viewOnlyRegion(readOnly: boolean, name: string): { tabIndex?: number; role?: 'region'; 'aria-label'?: string } {
  return readOnly ? { tabIndex: 0, role: 'region' as const, 'aria-label': `${name} (view only)` } : {};
}

function LiveRegion() {
  return (
    <p class="visually-hidden" role="status" aria-live="polite">
      {announcement.value}
    </p>
  );
}

function BlockInspector(props: InspectorProps & { block: Block }) {
  const { block } = props;
  const fields = blockModel(block.type);
  const live = useMemo(() => schemaRuntime().blockIssues(block), [block]);
  const server = useFreshServerIssues(serverIssues(props.errors, `blocks.${props.blockIndex}`), block);
  const issues = mergeIssues(live, server);
  const ctx: FormCtx = {
    scope: block.type,
    root: block,
    issues,
    readOnly: props.readOnly,
    set: (path, value) => props.onChangeBlock(setIn(block, path, value)),
    overrides: OVERRIDES[block.type] ?? {},
    Field: FieldControl,
  };
  const label = BLOCK_TYPE_LABELS[block.type] ?? block.type;
  const main = fields.filter((f) => !f.advanced);
  const advanced = fields.filter((f) => f.advanced);
  return (
    <FormContext.Provider value={ctx}>
      <div class="inspector" data-block-type={block.type} {...viewOnlyRegion(props.readOnly, `${label} settings`)}>
        {/* The editor's pane heading names the block; this line says which one it is. */}
        <p class="insp-head muted">
          {label} · block {props.blockIndex + 1} · <code>#{block.id}</code>
        </p>
        <LiveRegion />
        <IssueSummary issues={issues} fields={fields} scope={block.type} what={`the ${label.toLowerCase()} block`} />
        <fieldset class="insp-form" disabled={props.readOnly}>
          <legend class="visually-hidden">{label} settings</legend>
          <FieldList fields={main} path={[]} />
          {advanced.length ? (
            <details
              class="insp-advanced"
              open={advanced.some((f) => Object.keys(issues).some((k) => k === f.key || k.startsWith(`${f.key}.`))) || undefined}
            >
              <summary>Advanced</summary>
              <FieldList fields={advanced} path={[]} />
            </details>
          ) : null}
        </fieldset>
        {block.type === 'quiz' ? <QuizWalk quiz={block} /> : null}
      </div>
    </FormContext.Provider>
  );
}

function PageInspector(props: InspectorProps) {
  const settings = { ...props.settings, theme: props.theme };
  const live = useMemo(() => schemaRuntime().settingsIssues(settings), [props.settings, props.theme]);
  const server = useFreshServerIssues(serverIssues(props.errors, 'settings'), settings);
  const split = splitSettingsIssues(mergeIssues(live, server));
  return (
    <div class="inspector" {...viewOnlyRegion(props.readOnly, 'Page settings')}>
      <p class="insp-head muted">
        The page’s look and how it appears in search results and when shared. Select a block in the outline or the preview to edit it.
      </p>
      <LiveRegion />
      <fieldset class="insp-form" disabled={props.readOnly}>
        <legend class="visually-hidden">Page settings</legend>
        <ThemePanel theme={props.theme} issues={split.theme} readOnly={props.readOnly} onChange={(next) => props.onChangeTheme(next)} />
        <SeoPanel
          settings={settings}
          issues={split.settings}
          readOnly={props.readOnly}
          onChange={(next) => props.onChangeSettings({ ...next, theme: props.theme })}
        />
      </fieldset>
    </div>
  );
}

/** The inspector's form, once its schema runtime is loaded (inspector.tsx loads both). */
export function InspectorView(props: InspectorProps) {
  return props.block ? (
    <BlockInspector key={`${props.blockIndex}-${props.block.type}`} {...props} block={props.block} />
  ) : (
    <PageInspector {...props} />
  );
}
