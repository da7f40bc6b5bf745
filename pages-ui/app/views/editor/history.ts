/**
 * Undo and redo for the editor, as plain data: a stack of earlier states and one of undone ones.
 * Typing into one field is one step, not one per keystroke: a change with the same key as the
 * previous one (the path of the field it touched) within `COALESCE_MS` extends that step.
 */

/** Changes to one field closer together than this are one undo step. */
export const COALESCE_MS = 1200;
const LIMIT = 200;

export class History<T> {
  #past: T[] = [];
  #future: T[] = [];
  #lastKey: string | undefined;
  #lastAt = 0;

  get canUndo(): boolean {
    return this.#past.length > 0;
  }

  get canRedo(): boolean {
    return this.#future.length > 0;
  }

  /**
   * Call before a change with the state it replaces. `key` names what changed (e.g.
   * `blocks.hero.headline`); a change without a key is always its own step.
   */
  record(before: T, key: string | undefined, now: number): void {
    const coalesce = key !== undefined && key === this.#lastKey && now - this.#lastAt < COALESCE_MS && this.#past.length > 0;
    if (!coalesce) {
      this.#past.push(before);
      if (this.#past.length > LIMIT) this.#past.shift();
    }
    this.#future = [];
    this.#lastKey = key;
    this.#lastAt = now;
  }

  /** The state to go back to (the current one is kept for redo), or undefined when there is none. */
  undo(current: T): T | undefined {
    const previous = this.#past.pop();
    if (previous === undefined) return undefined;
    this.#future.push(current);
    this.#lastKey = undefined;
    return previous;
  }

  redo(current: T): T | undefined {
    const next = this.#future.pop();
    if (next === undefined) return undefined;
    this.#past.push(current);
    this.#lastKey = undefined;
    return next;
  }

  /** Ends the current typing step, so the next change starts a new one (e.g. after a save conflict). */
  seal(): void {
    this.#lastKey = undefined;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json } | undefined;

/**
 * The path of the first place two JSON-like values differ (`headline`, `items.2.text`), '' when
 * the values differ at the top (different types or lengths of arrays), null when they are equal.
 */
export function firstDifference(a: unknown, b: unknown, path: string[] = []): string | null {
  if (Object.is(a, b)) return null;
  const join = () => path.join('.');
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return join();
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return join();
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], [...path, String(i)]);
      if (d !== null) return d;
    }
    return null;
  }
  const ao = a as Record<string, Json>;
  const bo = b as Record<string, Json>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const key of keys) {
    const d = firstDifference(ao[key], bo[key], [...path, key]);
    if (d !== null) return d;
  }
  return null;
}

/** Deep equality of JSON-like values (what the draft is made of). */
export function sameValue(a: unknown, b: unknown): boolean {
  return firstDifference(a, b) === null;
}
