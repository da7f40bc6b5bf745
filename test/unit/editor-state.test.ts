/**
 * The page editor's state without a browser: undo/redo with typing coalesced, the debounced
 * autosave against the draft revision, a 409 conflict that loses nothing, server field errors that
 * stay on their block when blocks move, and re-applying my edits on top of someone else's version.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Block, PageContent } from '../../workers/domain/blocks';
import { DEMO_FUNNEL_PAGES } from '../../pages-ui/landing/demo-funnel';
import { reapplyEdits } from '../../pages-ui/app/views/editor/draft-merge';
import { COALESCE_MS, firstDifference, History } from '../../pages-ui/app/views/editor/history';
import { AUTOSAVE_MS, EditorState, type DraftServer, type SaveConflict } from '../../pages-ui/app/views/editor/state';

const landing = () => structuredClone(DEMO_FUNNEL_PAGES[0]!.content);
const hero = (content: PageContent) => content.blocks.find((b) => b.id === 'hero') as Extract<Block, { type: 'hero' }>;

/** A server that keeps a draft and a revision and refuses stale saves, as the API does. */
function fakeServer(initial: PageContent) {
  const state = {
    content: initial,
    revision: 1,
    saves: [] as Array<{ base: number; content: PageContent }>,
    refuse: null as null | object,
  };
  const server: DraftServer = {
    save(content, base) {
      state.saves.push({ base, content });
      if (state.refuse) return Promise.reject(Object.assign(new Error('refused'), state.refuse));
      if (base !== state.revision) {
        const conflict: SaveConflict = {
          status: 409,
          code: 'edit_conflict',
          message: 'Ana saved this page after you opened it.',
          current: { content: state.content, revision: state.revision, updatedBy: 'Ana' },
        };
        return Promise.reject(Object.assign(new Error(conflict.message), conflict));
      }
      state.content = content;
      state.revision += 1;
      return Promise.resolve({ revision: state.revision });
    },
    latest: () => Promise.resolve({ content: state.content, revision: state.revision }),
  };
  /** Someone else saves meanwhile. */
  const otherSave = (content: PageContent) => {
    state.content = content;
    state.revision += 1;
  };
  return { server, state, otherSave };
}

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    map,
  };
}

let clock = 0;
function editorFor(content = landing(), options: { readOnly?: boolean } = {}) {
  const fake = fakeServer(content);
  const storage = memoryStorage();
  const editor = new EditorState({
    content,
    revision: 1,
    server: fake.server,
    readOnly: options.readOnly ?? false,
    now: () => clock,
    stashStore: storage,
    stashKey: 'copy',
  });
  return { editor, ...fake, storage };
}

/** Types `text` into the hero headline one character at a time, `gap` ms apart. */
function type(editor: EditorState, text: string, gap = 100) {
  editor.select('hero');
  for (const ch of text) {
    const block = hero(editor.content.value);
    editor.updateSelectedBlock({ ...block, headline: block.headline + ch });
    clock += gap;
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  clock = 1_000_000;
});
afterEach(() => vi.useRealTimers());

describe('history', () => {
  it('finds the path of the first difference', () => {
    expect(firstDifference({ a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'y' }] })).toBe('b.1.c');
    expect(firstDifference({ a: [1] }, { a: [1, 2] })).toBe('a');
    expect(firstDifference({ a: 1, x: undefined }, { a: 1 })).toBeNull();
  });

  it('coalesces changes with the same key close together, and not across a pause, a different field or an undo', () => {
    const h = new History<number>();
    h.record(0, 'headline', 0);
    h.record(1, 'headline', 100);
    h.record(2, 'headline', 200);
    expect(h.undo(3)).toBe(0);
    expect(h.canUndo).toBe(false);
    expect(h.redo(0)).toBe(3);
    h.record(3, 'headline', 300);
    h.record(4, 'headline', 300 + COALESCE_MS + 1);
    h.record(5, 'subheadline', 300 + COALESCE_MS + 2);
    h.record(6, undefined, 300 + COALESCE_MS + 3);
    h.record(7, undefined, 300 + COALESCE_MS + 4);
    expect([h.undo(8), h.undo(7), h.undo(6), h.undo(5), h.undo(4)]).toEqual([7, 6, 5, 4, 3]);
  });
});

describe('editing', () => {
  it('typing a word is one undo step; redo brings it back; selection follows', () => {
    const { editor } = editorFor();
    const before = hero(editor.content.value).headline;
    type(editor, ' now');
    expect(hero(editor.content.value).headline).toBe(`${before} now`);
    editor.select(null);
    editor.undo();
    expect(hero(editor.content.value).headline).toBe(before);
    expect(editor.selectedId.value).toBe('hero');
    expect(editor.canUndo.value).toBe(false);
    editor.redo();
    expect(hero(editor.content.value).headline).toBe(`${before} now`);
  });

  it('adds after the selected block, moves, duplicates and deletes, each one undo step, announced', async () => {
    const { editor } = editorFor();
    const ids = () => editor.content.value.blocks.map((b) => b.id);
    const start = ids();
    editor.select('hero');
    const added = editor.addBlock('faq')!;
    expect(ids()).toEqual([start[0], 'faq', ...start.slice(1)]);
    expect(editor.selectedId.value).toBe('faq');
    await Promise.resolve();
    expect(editor.announcement.value).toBe(`Added FAQ “Questions and answers” at position 2 of ${start.length + 1}.`);
    editor.moveBlock(1, 3);
    expect(ids().indexOf(added.id)).toBe(3);
    await Promise.resolve();
    expect(editor.announcement.value).toMatch(/^Moved FAQ “Questions and answers” to position 4 of/);
    const copy = editor.duplicateBlock(3)!;
    expect(ids()[4]).toBe(copy.id);
    editor.removeBlock(0);
    expect(ids()).not.toContain('hero');
    for (let i = 0; i < 4; i++) editor.undo();
    expect(ids()).toEqual(start);
  });

  it('puts a deleted block back where it was from the toast', () => {
    const { editor } = editorFor();
    const start = editor.content.value.blocks.map((b) => b.id);
    const removed = editor.removeBlock(2)!;
    editor.restoreBlock(removed, 2);
    expect(editor.content.value.blocks.map((b) => b.id)).toEqual(start);
  });

  it('changes nothing for a viewer', () => {
    const { editor, state } = editorFor(landing(), { readOnly: true });
    const before = editor.content.value;
    editor.addBlock('hero');
    editor.removeBlock(0);
    type(editor, 'x');
    expect(editor.content.value).toBe(before);
    vi.advanceTimersByTime(AUTOSAVE_MS * 2);
    expect(state.saves).toEqual([]);
  });
});

describe('autosave', () => {
  it('saves once, AUTOSAVE_MS after the last change, with the revision it was based on', async () => {
    const { editor, state } = editorFor();
    type(editor, 'abc', 100);
    expect(editor.status.value).toBe('pending');
    expect(editor.dirty.value).toBe(true);
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS - 1);
    expect(state.saves).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.saves).toHaveLength(1);
    expect(state.saves[0]!.base).toBe(1);
    expect(editor.status.value).toBe('saved');
    expect(editor.dirty.value).toBe(false);
    expect(editor.revision).toBe(2);
    type(editor, 'd');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS);
    expect(state.saves.map((s) => s.base)).toEqual([1, 2]);
  });

  it('sends edits made during a save right after it, based on the revision that save got', async () => {
    const { editor, state, server } = editorFor();
    // Hold the first save on its way while the member keeps typing.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const save = server.save.bind(server);
    server.save = async (content, base) => {
      if (state.saves.length === 0) await gate;
      return save(content, base);
    };
    type(editor, 'a');
    const first = editor.flush();
    await Promise.resolve();
    expect(editor.status.value).toBe('saving');
    type(editor, 'b');
    release();
    expect(await first).toBe(true);
    expect(state.saves.map((s) => s.base)).toEqual([1, 2]);
    expect(hero(state.content).headline.endsWith('ab')).toBe(true);
    expect(editor.status.value).toBe('saved');
  });

  it('says "Not saved" on a failure, keeps the edits, and retries', async () => {
    const { editor, state } = editorFor();
    state.refuse = { status: 503, code: 'unavailable', message: 'The server is busy.' };
    type(editor, 'x');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS);
    expect(editor.status.value).toBe('failed');
    expect(editor.failure.value?.message).toBe('The server is busy.');
    expect(editor.dirty.value).toBe(true);
    state.refuse = null;
    expect(await editor.retry()).toBe(true);
    expect(hero(state.content).headline.endsWith('x')).toBe(true);
  });

  it('hands the server field errors to the inspector by the block’s current position', async () => {
    const { editor, state } = editorFor();
    state.refuse = {
      status: 400,
      code: 'validation_failed',
      message: 'Check the fields.',
      fields: { 'content.blocks.0.headline': 'This cannot be empty.', 'content.settings.title': 'Too long.' },
    };
    type(editor, 'x');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS);
    expect(editor.status.value).toBe('invalid');
    expect(editor.errors.value).toEqual({ 'blocks.0.headline': 'This cannot be empty.', 'settings.title': 'Too long.' });
    editor.moveBlock(0, 2);
    expect(editor.errors.value).toEqual({ 'blocks.2.headline': 'This cannot be empty.', 'settings.title': 'Too long.' });
    expect([...editor.blocksWithErrors.value]).toEqual(['hero']);
    state.refuse = null;
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS);
    expect(editor.status.value).toBe('saved');
    expect(editor.errors.value).toEqual({});
  });
});

describe('two editors on one page', () => {
  it('refuses the second save, loses nothing, and lets me load theirs and re-apply mine', async () => {
    const { editor, state, otherSave, storage } = editorFor();
    // Ana renames the testimonials title meanwhile.
    const theirs = landing();
    const reviews = theirs.blocks[2] as Extract<Block, { type: 'testimonials' }>;
    reviews.title = 'Ana’s title';
    otherSave(theirs);
    type(editor, '!');
    editor.moveBlock(4, 0);
    const mine = editor.content.value;
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS);
    expect(editor.status.value).toBe('conflict');
    expect(editor.conflict.value?.updatedBy).toBe('Ana');
    expect(editor.content.value).toBe(mine);
    // Nothing is sent while the conflict is open.
    type(editor, '?');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS * 3);
    expect(state.saves).toHaveLength(1);

    editor.loadTheirs();
    expect(editor.content.value).toEqual(theirs);
    expect(editor.status.value).toBe('saved');
    expect(storage.map.has('copy')).toBe(true);
    editor.reapplyMine();
    const merged = editor.content.value;
    expect(hero(merged).headline.endsWith('!?')).toBe(true);
    expect((merged.blocks.find((b) => b.id === 'reviews') as typeof reviews).title).toBe('Ana’s title');
    expect(merged.blocks[0]!.id).toBe(mine.blocks[0]!.id);
    expect(storage.map.has('copy')).toBe(false);
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS);
    expect(editor.status.value).toBe('saved');
    expect(state.content).toEqual(merged);
  });

  it('can replace their version with mine on purpose', async () => {
    const { editor, state, otherSave } = editorFor();
    otherSave(landing());
    type(editor, '!');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS);
    expect(editor.status.value).toBe('conflict');
    expect(await editor.overwriteWithMine()).toBe(true);
    expect(hero(state.content).headline.endsWith('!')).toBe(true);
  });

  it('keeps my copy across a reload until I re-apply or discard it', async () => {
    const first = editorFor();
    first.otherSave(landing());
    type(first.editor, '!');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS);
    first.editor.loadTheirs();
    const again = new EditorState({
      content: landing(),
      revision: 2,
      server: first.server,
      readOnly: false,
      stashStore: first.storage,
      stashKey: 'copy',
    });
    expect(hero(again.stash.value!.mine).headline.endsWith('!')).toBe(true);
    again.discardStash();
    expect(first.storage.map.has('copy')).toBe(false);
  });
});

describe('re-applying my edits on their version', () => {
  const ids = (c: PageContent) => c.blocks.map((b) => b.id);
  it('keeps their changes to blocks I did not touch, my changes, additions and deletions', () => {
    const base = landing();
    const mine = structuredClone(base);
    hero(mine).headline = 'Mine';
    mine.blocks.splice(1, 1); // I delete "benefits"
    mine.blocks.push({ type: 'cta', id: 'mine-new', label: 'New', target: { kind: 'next' } });
    const theirs = structuredClone(base);
    (theirs.blocks[2] as Extract<Block, { type: 'testimonials' }>).title = 'Theirs';
    theirs.blocks.splice(3, 0, { type: 'cta', id: 'their-new', label: 'Theirs', target: { kind: 'next' } });
    theirs.settings.title = 'Their title';
    const merged = reapplyEdits(base, mine, theirs);
    expect(hero(merged).headline).toBe('Mine');
    expect(ids(merged)).toEqual(['hero', 'reviews', 'their-new', 'take-quiz', 'chat', 'mine-new']);
    expect((merged.blocks[1] as Extract<Block, { type: 'testimonials' }>).title).toBe('Theirs');
    expect(merged.settings.title).toBe('Their title');
  });

  it('keeps a block I deleted if they changed it, and brings back one they deleted if I changed it', () => {
    const base = landing();
    const mine = structuredClone(base);
    mine.blocks.splice(1, 1);
    hero(mine).headline = 'Mine';
    const theirs = structuredClone(base);
    (theirs.blocks[1] as Extract<Block, { type: 'features' }>).title = 'Changed by them';
    theirs.blocks.splice(0, 1);
    const merged = reapplyEdits(base, mine, theirs);
    expect(ids(merged)[0]).toBe('hero');
    expect(hero(merged).headline).toBe('Mine');
    expect(ids(merged)).toContain('benefits');
  });

  it('applies my reordering and my settings', () => {
    const base = landing();
    const mine = structuredClone(base);
    mine.blocks.reverse();
    mine.settings.title = 'My title';
    const theirs = structuredClone(base);
    theirs.blocks.splice(1, 0, { type: 'cta', id: 'their-new', label: 'Theirs', target: { kind: 'next' } });
    const merged = reapplyEdits(base, mine, theirs);
    expect(ids(merged)).toEqual(['chat', 'take-quiz', 'reviews', 'benefits', 'hero', 'their-new']);
    expect(merged.settings.title).toBe('My title');
  });
});
