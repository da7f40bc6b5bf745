/**
 * A page theme (three colours and a font stack) → CSS custom properties. The marketer picks
 * brand colours; the derived ones (button text, muted text, links, borders, errors) are computed
 * so that they keep WCAG AA contrast on whatever background was chosen.
 */
import type { Theme } from '../../workers/domain/blocks';
import { contrastRatio as ratioOf, labelColourOn, relativeLuminance } from '../../workers/domain/colour-contrast';
import { FONT_STACKS } from '../../workers/domain/font-stacks';

type Rgb = [number, number, number];

function parseHex(hex: string): Rgb {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

function toHex(rgb: Rgb): string {
  return `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}

/** `amount` of `b` mixed into `a` (0 → a, 1 → b). */
function mix(a: Rgb, b: Rgb, amount: number): Rgb {
  return a.map((channel, i) => channel + (b[i]! - channel) * amount) as Rgb;
}

/** Contrast of two theme colours (validated `#rrggbb`, so never the domain's null). */
export function contrastRatio(a: string, b: string): number {
  return ratioOf(a, b) ?? 1;
}

/** Moves `colour` towards `toward` until it reaches `min` contrast against every surface. */
function readableOn(colour: Rgb, surfaces: Rgb[], toward: Rgb, min: number): string {
  for (let amount = 0; amount < 1; amount += 0.05) {
    const candidate = toHex(mix(colour, toward, amount));
    if (surfaces.every((surface) => contrastRatio(candidate, toHex(surface)) >= min)) return candidate;
  }
  return toHex(toward);
}

export interface ThemeColours {
  primary: string;
  /** Text on primary buttons: white or near-black, whichever contrasts more (always ≥ 4.5:1). */
  onPrimary: string;
  background: string;
  text: string;
  /** Secondary text, ≥ 4.5:1 on the background, the tinted bands and the hero wash. */
  muted: string;
  /** Tinted band behind alternate sections and cards. */
  surface: string;
  /** Hero background wash of the primary colour. */
  wash: string;
  /** Decorative borders. */
  line: string;
  /** Form control borders: ≥ 3:1 on the background (WCAG 1.4.11). */
  control: string;
  link: string;
  error: string;
}

export function themeColours(theme: Theme): ThemeColours {
  const primary = parseHex(theme.primary);
  const background = parseHex(theme.background);
  const text = parseHex(theme.text);
  const surface = mix(background, text, 0.04);
  const wash = mix(background, primary, 0.1);
  const surfaces = [background, surface, wash];
  const onPrimary = labelColourOn(theme.primary);
  const darkBackground = (relativeLuminance(theme.background) ?? 1) < 0.2;
  return {
    primary: theme.primary,
    onPrimary,
    background: theme.background,
    text: theme.text,
    muted: readableOn(mix(text, background, 0.35), surfaces, text, 4.6),
    surface: toHex(surface),
    wash: toHex(wash),
    line: toHex(mix(background, text, 0.14)),
    control: readableOn(mix(background, text, 0.45), [background], text, 3.1),
    link: readableOn(primary, surfaces, text, 4.6),
    error: readableOn(parseHex(darkBackground ? '#ff8a80' : '#b42318'), surfaces, text, 4.6),
  };
}

/** The `:root { … }` rule the page stylesheet reads its colours and font from. */
export function themeCss(theme: Theme): string {
  const c = themeColours(theme);
  return (
    `:root{--p:${c.primary};--op:${c.onPrimary};--bg:${c.background};--fg:${c.text};--mu:${c.muted};` +
    `--sf:${c.surface};--wa:${c.wash};--ln:${c.line};--ct:${c.control};--lk:${c.link};--er:${c.error};` +
    `--font:${FONT_STACKS[theme.fontStack]}}`
  );
}

/**
 * The theme's button style, as rules that follow the page stylesheet (so they win over its
 * `.btn`). Rounded and filled is the stylesheet's own look: nothing is added for it, so pages
 * that never chose a style ship the same bytes as before. An outline is an inset ring, not a
 * border, so switching styles changes no button's size; its label takes the link colour, which
 * is readable on the background, the tinted bands and the hero wash alike. The quiz's "Back"
 * (`.ghost`) is already an outline and keeps its quieter look.
 */
export function buttonStyleCss(theme: Theme): string {
  const radius = theme.buttonShape === 'pill' ? '99px' : theme.buttonShape === 'square' ? '0' : '';
  return (
    (radius && `.btn,.chips button{border-radius:${radius}}`) +
    (theme.buttonFill === 'outline' ? '.btn:not(.ghost){background:none;color:var(--lk);box-shadow:inset 0 0 0 2px currentColor}' : '')
  );
}
