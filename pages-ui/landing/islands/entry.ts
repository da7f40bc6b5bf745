/**
 * Mounts the islands of a landing page. Each root (`[data-island]`) holds the working no-script
 * form; its props sit in the `<script type="application/json">` right after it. The island takes
 * the form's action and submission token, then replaces the form with its interactive version
 * (keeping the server's error summary, if any).
 * If anything is missing or fails, the no-script form simply stays.
 */
import { h, render, type ComponentType } from 'preact';
import { BLOCK_FIELD, TOKEN_FIELD } from '../form-constants';
import { ChatIsland } from './chat';
import type { FormBinding } from './props';
import { QuizIsland } from './quiz';

// Props come from JSON the server wrote for that very island, so they are not re-validated here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each island takes its own props type
const ISLANDS: Record<string, ComponentType<any>> = { quiz: QuizIsland, chat: ChatIsland };

function fieldValue(form: HTMLFormElement, name: string): string {
  const field = form.elements.namedItem(name);
  return field instanceof HTMLInputElement ? field.value : '';
}

function mount(root: HTMLElement): void {
  const island = ISLANDS[root.dataset.island ?? ''];
  const form = root.querySelector('form');
  const data = root.nextElementSibling;
  if (!island || !form || !(data instanceof HTMLScriptElement) || data.type !== 'application/json') return;
  const props = JSON.parse(data.textContent ?? '');
  const binding: FormBinding = {
    action: form.getAttribute('action') ?? location.pathname,
    blockId: fieldValue(form, BLOCK_FIELD),
    token: fieldValue(form, TOKEN_FIELD),
  };
  // Rendered off-document first: if the island throws, the no-script form is still untouched.
  const host = document.createElement('div');
  render(h(island, { ...props, form: binding }), host);
  // The server's "There is a problem" summary (after a failed post) stays above the island.
  const summary = form.querySelector('.sum');
  root.replaceChildren(...(summary ? [summary] : []), host);
}

for (const root of document.querySelectorAll<HTMLElement>('[data-island]')) {
  try {
    mount(root);
  } catch (error) {
    console.error('Island not started; the plain form stays in place.', error);
  }
}
