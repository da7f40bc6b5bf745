/**
 * The inspector's messages by path (`questions.1.answers.0.next`), and how the server's (keyed from
 * the page: `blocks.3.headline`) join the live ones. Free of zod, so the form's code can use it
 * without pulling the schema runtime into its chunk.
 */

/** Path within the block (or settings) → message. */
export type Issues = Record<string, string>;

/** The server's messages under `prefix` (`blocks.3`, `settings`), keyed from there. */
export function serverIssues(errors: Record<string, string>, prefix: string): Issues {
  const out: Issues = {};
  for (const [key, message] of Object.entries(errors)) {
    if (key === prefix) out[''] = message;
    else if (key.startsWith(`${prefix}.`)) out[key.slice(prefix.length + 1)] = message;
  }
  return out;
}

/** What to show: the live check where it has something to say, else the server's last word. */
export function mergeIssues(live: Issues, server: Issues): Issues {
  return { ...server, ...live };
}
