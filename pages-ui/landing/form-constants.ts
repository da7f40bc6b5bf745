/**
 * Names shared by the server-rendered forms, the islands and the capture route. Kept apart from
 * the renderer so the islands bundle them without pulling in any server-side code.
 */

/**
 * Published HTML is stored and cached, so it cannot carry a per-visitor token: every form holds
 * this placeholder and the server swaps in a fresh signed token on each response.
 */
export const SUBMISSION_TOKEN_PLACEHOLDER = '__LF_SUBMISSION_TOKEN__';
/** The honeypot: hidden from people, filled in by bots. A post with a value is dropped. */
export const HONEYPOT_FIELD = 'website';
/** Which block of the page a post belongs to. */
export const BLOCK_FIELD = '_block';
export const TOKEN_FIELD = '_token';

export const DEFAULT_QUIZ_EMAIL_PROMPT = 'Where should we send your result?';
export const DEFAULT_QUIZ_SUBMIT_LABEL = 'See my result';
