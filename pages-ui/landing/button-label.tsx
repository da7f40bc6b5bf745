/**
 * A button's text. Browsers may break a line after a hyphen, a slash or a dash inside a word,
 * which on a phone splits "5-minute" into "5-" and "minute" or "T-zone" into "T-" and "zone"; CSS
 * has no switch for those breaks, so such words are kept whole in a `nowrap` span and a label
 * wraps only between words. Shared by the server's buttons and the islands' (a few bytes in each).
 */
const JOINED = /[-‐‑/–—]/;

export function ButtonLabel(props: { text: string }) {
  return <>{props.text.split(/(\s+)/).map((word) => (JOINED.test(word) ? <span class="nw">{word}</span> : word))}</>;
}
