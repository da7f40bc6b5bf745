/**
 * The page editor's state, as signals: the draft being edited (blocks, theme, settings), the
 * selected block, undo/redo, and the autosave that keeps the server's draft in step.
 *
 * Saving: every change marks the draft dirty and (re)starts an ~800 ms timer; when it fires the
 * whole draft goes to the server with the revision it was based on. One save is in flight at a
 * time; changes made meanwhile are sent right after it. The server answers:
 * - saved → the new revision; "Saved" once nothing newer is waiting;
 * - 409 `edit_conflict` → someone else saved first: nothing is overwritten, the member chooses
 *   (load their version and keep mine as a copy to re-apply, or overwrite theirs with mine);
 * - 400 `validation_failed` → the messages go to the inspector, next to their fields, keyed by
 *   block id so they stay on the right block when blocks move, and shown by index for the UI;
 * - anything else → "Not saved — retry", with the retry a click away (and automatic on the next edit).
 *
 * Nothing here touches the DOM or the network directly (the `DraftServer` is injected), so the
 * unit tests drive it with fake timers.
 */
import { batch, computed, signal } from '@preact/signals';
import type { Block, PageContent, PageSettings, Theme } from '../../../../workers/domain/blocks';
import { defaultBlock, duplicateBlock, newBlockId, type BlockType } from './block-defaults';
import { blockName } from './block-meta';
import { reapplyEdits } from './draft-merge';
import { firstDifference, History, sameValue } from './history';

export const AUTOSAVE_MS = 800;

/** The draft's revision as the server counts it; sent back with each save so a stale save is refused. */
export type Revision = number;

export interface SavedDraft {
  revision: Revision;
}

/** The editor's way to the server (views/editor/editor-api.ts in the app; a fake in unit tests). */
export interface DraftServer {
  save(content: PageContent, baseRevision: Revision, options?: { keepalive?: boolean }): Promise<SavedDraft>;
  /** The draft as the server has it now (after a conflict). */
  latest(): Promise<{ content: PageContent; revision: Revision; updatedBy?: string | null }>;
}

/** What a failed request tells the editor (the app's ApiError has these). */
export interface RequestFailure {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
}

/** A save refused because someone saved first, with their draft when the server sent it. */
export interface SaveConflict extends RequestFailure {
  current?: { content: PageContent; revision: Revision; updatedBy: string | null };
}

function asFailure(err: unknown): RequestFailure {
  if (err && typeof err === 'object' && 'status' in err && 'code' in err) return err as RequestFailure;
  return { status: 0, code: 'client_error', message: err instanceof Error ? err.message : 'Something went wrong.' };
}

export type SaveStatus =
  /** The server has exactly this draft. */
  | 'saved'
  /** Changed, waiting for the autosave timer. */
  | 'pending'
  | 'saving'
  /** The network or the server failed: retry. */
  | 'failed'
  /** The server refused the draft's content: fix the fields shown. */
  | 'invalid'
  /** Someone else saved first: choose. */
  | 'conflict';

export interface Conflict {
  /** Their draft and its revision, as the server has it. */
  theirs: PageContent;
  revision: Revision;
  updatedBy?: string | null;
}

/** A server message about one field, kept against the block's id rather than its position. */
interface FieldError {
  blockId: string | null;
  /** The path inside the block (`headline`, `items.2.text`) or inside the page (`settings.title`). */
  path: string;
  message: string;
}

interface Snapshot {
  content: PageContent;
  selectedId: string | null;
}

export interface EditorOptions {
  content: PageContent;
  revision: Revision;
  server: DraftServer;
  readOnly: boolean;
  /** The clock (tests pass their own). */
  now?: () => number;
  /** Where my version is kept after a conflict until re-applied or discarded (survives a reload). */
  stashStore?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  stashKey?: string;
}

export class EditorState {
  readonly content;
  readonly selectedId = signal<string | null>(null);
  readonly status = signal<SaveStatus>('saved');
  /** Why the last save failed ('failed' and 'invalid'). */
  readonly failure = signal<RequestFailure | null>(null);
  readonly conflict = signal<Conflict | null>(null);
  /** My version, kept after I loaded theirs, until I re-apply or discard it. */
  readonly stash = signal<{ mine: PageContent; base: PageContent } | null>(null);
  /** For the editor's aria-live region: what just happened ("Moved Hero to position 2 of 5"). */
  readonly announcement = signal('');
  readonly canUndo = signal(false);
  readonly canRedo = signal(false);
  readonly readOnly: boolean;

  /** The draft the server has (the base of the next save and of a conflict's merge). */
  readonly saved;
  readonly dirty;
  readonly selectedIndex;
  readonly selectedBlock;
  /** Server field errors keyed as the inspector expects: `blocks.<current index>.<path>`, `settings.<path>`. */
  readonly errors;
  /** Block ids with a server error, for the outline's marks. */
  readonly blocksWithErrors;

  #fieldErrors = signal<FieldError[]>([]);
  #revision: Revision;
  #server: DraftServer;
  #history = new History<Snapshot>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void> | null = null;
  #now: () => number;
  #stashStore: EditorOptions['stashStore'];
  #stashKey: string;

  constructor(options: EditorOptions) {
    this.content = signal(options.content);
    this.saved = signal(options.content);
    this.#revision = options.revision;
    this.#server = options.server;
    this.readOnly = options.readOnly;
    this.#now = options.now ?? Date.now;
    this.#stashStore = options.stashStore ?? null;
    this.#stashKey = options.stashKey ?? 'leadflare-editor-stash';
    this.dirty = computed(() => this.content.value !== this.saved.value && !sameValue(this.content.value, this.saved.value));
    this.selectedIndex = computed(() => {
      const id = this.selectedId.value;
      return id === null ? -1 : this.content.value.blocks.findIndex((b) => b.id === id);
    });
    this.selectedBlock = computed(() => this.content.value.blocks[this.selectedIndex.value] ?? null);
    this.errors = computed(() => {
      const out: Record<string, string> = {};
      const blocks = this.content.value.blocks;
      for (const e of this.#fieldErrors.value) {
        if (e.blockId === null) out[e.path] = e.message;
        else {
          const index = blocks.findIndex((b) => b.id === e.blockId);
          if (index >= 0) out[e.path ? `blocks.${index}.${e.path}` : `blocks.${index}`] = e.message;
        }
      }
      return out;
    });
    this.blocksWithErrors = computed(() => new Set(this.#fieldErrors.value.flatMap((e) => (e.blockId ? [e.blockId] : []))));
    this.#restoreStash();
  }

  get revision(): Revision {
    return this.#revision;
  }

  // ── Changes ────────────────────────────────────────────────────────────────────────────────

  /** Every change goes through here: undo history, the new draft, the autosave. */
  #change(next: PageContent, key: string | undefined, selectedId: string | null = this.selectedId.value): boolean {
    if (this.readOnly) return false;
    this.#history.record({ content: this.content.value, selectedId: this.selectedId.value }, key, this.#now());
    batch(() => {
      this.content.value = next;
      this.selectedId.value = selectedId;
      this.#syncUndo();
    });
    this.#scheduleSave();
    return true;
  }

  select(id: string | null): void {
    this.selectedId.value = id;
  }

  /** The inspector's new value for the selected block (typing in one field is one undo step). */
  updateSelectedBlock(next: Block): void {
    const index = this.selectedIndex.value;
    const current = this.content.value.blocks[index];
    if (!current) return;
    const diff = firstDifference(current, next);
    if (diff === null) return;
    const blocks = this.content.value.blocks.slice();
    blocks[index] = next;
    this.#change({ ...this.content.value, blocks }, `blocks.${current.id}.${diff}`, next.id);
  }

  updateSettings(next: PageSettings): void {
    const diff = firstDifference(this.content.value.settings, next);
    if (diff === null) return;
    this.#change({ ...this.content.value, settings: next }, `settings.${diff}`);
  }

  updateTheme(next: Theme): void {
    this.updateSettings({ ...this.content.value.settings, theme: next });
  }

  /** Adds a new block of `type` after the selected one (or at the end), selects it and returns it. */
  addBlock(type: BlockType, at?: number): Block | null {
    const blocks = this.content.value.blocks;
    const block = defaultBlock(
      type,
      newBlockId(
        type,
        blocks.map((b) => b.id),
      ),
      this.#now(),
    );
    const index = at ?? (this.selectedIndex.value >= 0 ? this.selectedIndex.value + 1 : blocks.length);
    const next = [...blocks.slice(0, index), block, ...blocks.slice(index)];
    if (!this.#change({ ...this.content.value, blocks: next }, undefined, block.id)) return null;
    this.#announce(`Added ${blockName(block)} at position ${index + 1} of ${next.length}.`);
    return block;
  }

  /** Moves the block at `from` to position `to` (both 0-based, `to` in the list after removal). */
  moveBlock(from: number, to: number): void {
    const blocks = this.content.value.blocks.slice();
    if (from === to || from < 0 || from >= blocks.length || to < 0 || to >= blocks.length) return;
    const [block] = blocks.splice(from, 1);
    blocks.splice(to, 0, block!);
    if (!this.#change({ ...this.content.value, blocks }, undefined, block!.id)) return;
    this.#announce(`Moved ${blockName(block!)} to position ${to + 1} of ${blocks.length}.`);
  }

  duplicateBlock(index: number): Block | null {
    const blocks = this.content.value.blocks;
    const original = blocks[index];
    if (!original) return null;
    const copy = duplicateBlock(
      original,
      blocks.map((b) => b.id),
    );
    const next = [...blocks.slice(0, index + 1), copy, ...blocks.slice(index + 1)];
    if (!this.#change({ ...this.content.value, blocks: next }, undefined, copy.id)) return null;
    this.#announce(`Duplicated ${blockName(original)}; the copy is at position ${index + 2} of ${next.length}.`);
    return copy;
  }

  /** Deletes a block (undo brings it back); the next block, or the previous, becomes selected. */
  removeBlock(index: number): Block | null {
    const blocks = this.content.value.blocks;
    const block = blocks[index];
    if (!block) return null;
    const next = blocks.filter((_, i) => i !== index);
    const neighbour = next[index] ?? next[index - 1] ?? null;
    const selected = this.selectedId.value === block.id ? (neighbour?.id ?? null) : this.selectedId.value;
    if (!this.#change({ ...this.content.value, blocks: next }, undefined, selected)) return null;
    this.#announce(`Deleted ${blockName(block)}.`);
    return block;
  }

  /** Puts a deleted block back at `index` (the delete toast's Undo; the id must still be free). */
  restoreBlock(block: Block, index: number): void {
    const blocks = this.content.value.blocks;
    if (blocks.some((b) => b.id === block.id)) return;
    const at = Math.min(Math.max(0, index), blocks.length);
    const next = [...blocks.slice(0, at), block, ...blocks.slice(at)];
    if (this.#change({ ...this.content.value, blocks: next }, undefined, block.id)) this.#announce(`Restored ${blockName(block)}.`);
  }

  undo(): void {
    this.#step(this.#history.undo.bind(this.#history), 'Undone.');
  }

  redo(): void {
    this.#step(this.#history.redo.bind(this.#history), 'Redone.');
  }

  #step(take: (current: Snapshot) => Snapshot | undefined, message: string): void {
    if (this.readOnly) return;
    const snapshot = take({ content: this.content.value, selectedId: this.selectedId.value });
    if (!snapshot) return;
    batch(() => {
      this.content.value = snapshot.content;
      // The selection follows the change back, if that block still exists.
      const id = snapshot.selectedId;
      this.selectedId.value = id !== null && snapshot.content.blocks.some((b) => b.id === id) ? id : null;
      this.#syncUndo();
    });
    this.#announce(message);
    this.#scheduleSave();
  }

  #syncUndo(): void {
    this.canUndo.value = this.#history.canUndo;
    this.canRedo.value = this.#history.canRedo;
  }

  #announce(message: string): void {
    // The same sentence twice in a row must still be read out: clear, then set.
    this.announcement.value = '';
    queueMicrotask(() => (this.announcement.value = message));
  }

  // ── Saving ─────────────────────────────────────────────────────────────────────────────────

  #scheduleSave(): void {
    if (this.status.value === 'conflict') return; // nothing is sent until the member chooses
    clearTimeout(this.#timer);
    if (!this.dirty.value) {
      if (!this.#inFlight && this.status.value === 'pending') this.status.value = 'saved';
      return;
    }
    if (!this.#inFlight) this.status.value = 'pending';
    this.#timer = setTimeout(() => void this.flush(), AUTOSAVE_MS);
  }

  /**
   * Saves now (before publishing, before leaving). Resolves true when the server has the current
   * draft, false when it refused it or could not be reached (the status says why).
   */
  async flush(options: { keepalive?: boolean } = {}): Promise<boolean> {
    clearTimeout(this.#timer);
    if (this.readOnly) return true;
    while (this.#inFlight) await this.#inFlight;
    if (this.status.value === 'conflict') return false;
    if (!this.dirty.value) {
      if (this.status.value === 'pending') this.status.value = 'saved';
      return this.status.value === 'saved';
    }
    const sending = this.content.value;
    this.status.value = 'saving';
    let settled!: () => void;
    this.#inFlight = new Promise<void>((resolve) => (settled = resolve));
    try {
      const { revision } = await this.#server.save(sending, this.#revision, options);
      batch(() => {
        this.#revision = revision;
        this.saved.value = sending;
        this.failure.value = null;
        this.#fieldErrors.value = [];
        this.status.value = 'saved';
      });
    } catch (err) {
      this.#saveFailed(asFailure(err), sending);
    } finally {
      this.#inFlight = null;
      settled();
    }
    // (Read through peek(): the compiler would keep the value narrowed to 'saving' across the await.)
    const after: SaveStatus = this.status.peek();
    if (after === 'saved' && this.dirty.value) {
      // Edits made while the save was on its way: they go next.
      this.status.value = 'pending';
      return this.flush(options);
    }
    return after === 'saved';
  }

  #saveFailed(failure: RequestFailure, sent: PageContent): void {
    if (failure.status === 409 && failure.code === 'edit_conflict') {
      const current = (failure as SaveConflict).current;
      batch(() => {
        this.status.value = 'conflict';
        this.failure.value = failure;
        this.conflict.value = current ? { theirs: current.content, revision: current.revision, updatedBy: current.updatedBy } : null;
      });
      this.#history.seal();
      if (!current) void this.#fetchTheirs();
      return;
    }
    if (failure.status === 400 && failure.code === 'validation_failed' && failure.fields) {
      batch(() => {
        this.#fieldErrors.value = Object.entries(failure.fields!).map(([path, message]) => toFieldError(path, message, sent));
        this.failure.value = failure;
        this.status.value = 'invalid';
      });
      return;
    }
    batch(() => {
      this.failure.value = failure;
      this.status.value = 'failed';
    });
  }

  /**
   * Another request (a publish) found that someone saved the draft after my last save: the same
   * choice as after a refused save — load theirs, or put mine over it.
   */
  conflictFound(conflict: SaveConflict): void {
    clearTimeout(this.#timer);
    this.#saveFailed(conflict, this.content.value);
  }

  async #fetchTheirs(): Promise<void> {
    try {
      const latest = await this.#server.latest();
      this.conflict.value = { theirs: latest.content, revision: latest.revision, updatedBy: latest.updatedBy ?? null };
    } catch (err) {
      // Without their version the choice cannot be offered yet; "Try again" fetches it again.
      this.failure.value = asFailure(err);
      this.conflict.value = null;
    }
  }

  /** After a conflict whose other version did not load: fetch it again. */
  retryConflict(): Promise<void> {
    return this.#fetchTheirs();
  }

  /** Retries a failed save now. */
  retry(): Promise<boolean> {
    if (this.status.value === 'failed' || this.status.value === 'invalid') this.status.value = 'pending';
    return this.flush();
  }

  /**
   * Conflict, choice 1: show their version; mine is kept (here and in session storage) to
   * re-apply with `reapplyMine()`. Undo also goes back to mine.
   */
  loadTheirs(): void {
    const c = this.conflict.value;
    if (!c) return;
    const mine = this.content.value;
    const base = this.saved.value;
    this.#history.record({ content: mine, selectedId: this.selectedId.value }, undefined, this.#now());
    batch(() => {
      this.#revision = c.revision;
      this.saved.value = c.theirs;
      this.content.value = c.theirs;
      if (this.selectedId.value !== null && !c.theirs.blocks.some((b) => b.id === this.selectedId.value)) this.selectedId.value = null;
      this.conflict.value = null;
      this.failure.value = null;
      this.#fieldErrors.value = [];
      this.status.value = 'saved';
      this.#setStash({ mine, base });
      this.#syncUndo();
    });
    this.#announce('Loaded the other version. Your version is kept as a copy.');
  }

  /** Conflict, choice 2: my version replaces theirs (on top of their revision). */
  overwriteWithMine(): Promise<boolean> {
    const c = this.conflict.value;
    if (!c) return Promise.resolve(false);
    batch(() => {
      this.#revision = c.revision;
      this.saved.value = c.theirs;
      this.conflict.value = null;
      this.failure.value = null;
      this.status.value = 'pending';
    });
    return this.flush();
  }

  /** After loading theirs: my edits applied on top of their version, block by block (one undo step). */
  reapplyMine(): void {
    const stash = this.stash.value;
    if (!stash) return;
    const merged = reapplyEdits(stash.base, stash.mine, this.content.value);
    this.#setStash(null);
    this.#change(merged, undefined);
    this.#announce('Your changes are re-applied on top of the other version.');
  }

  discardStash(): void {
    this.#setStash(null);
  }

  #setStash(value: { mine: PageContent; base: PageContent } | null): void {
    this.stash.value = value;
    try {
      if (value) this.#stashStore?.setItem(this.#stashKey, JSON.stringify(value));
      else this.#stashStore?.removeItem(this.#stashKey);
    } catch {
      // Storage full or blocked: the copy stays in memory for this session.
    }
  }

  #restoreStash(): void {
    try {
      const raw = this.#stashStore?.getItem(this.#stashKey);
      if (raw) this.stash.value = JSON.parse(raw) as { mine: PageContent; base: PageContent };
    } catch {
      this.#stashStore?.removeItem(this.#stashKey);
    }
  }

  /**
   * The server replaced the draft (a rollback): it becomes the draft here too, as one undo step,
   * and is already saved.
   */
  adoptServerDraft(content: PageContent, revision: Revision): void {
    this.#history.record({ content: this.content.value, selectedId: this.selectedId.value }, undefined, this.#now());
    batch(() => {
      this.#revision = revision;
      this.saved.value = content;
      this.content.value = content;
      if (this.selectedId.value !== null && !content.blocks.some((b) => b.id === this.selectedId.value)) this.selectedId.value = null;
      this.failure.value = null;
      this.#fieldErrors.value = [];
      this.status.value = 'saved';
      this.#syncUndo();
    });
  }

  /** Stops the autosave timer (the view unmounts; `flush` first if the draft is dirty). */
  dispose(): void {
    clearTimeout(this.#timer);
  }
}

/** `content.blocks.3.headline` (as sent) → the block's id and `headline`; `content.settings.title` → page level. */
function toFieldError(path: string, message: string, sent: PageContent): FieldError {
  const parts = path.replace(/^content\./, '').split('.');
  if (parts[0] === 'blocks' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
    const block = sent.blocks[Number(parts[1])];
    if (block) return { blockId: block.id, path: parts.slice(2).join('.'), message };
  }
  return { blockId: null, path: parts.join('.'), message };
}
