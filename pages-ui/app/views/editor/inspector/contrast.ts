/**
 * WCAG 2.x contrast of the theme's colour pairs, for the theme panel's warning. The published
 * page puts white or near-black text on buttons, whichever contrasts more with the brand colour
 * (pages-ui/landing/theme.ts); this module predicts the same choice so the warning matches what
 * visitors will see.
 */

/** WCAG AA for normal-size text. */
export const AA_TEXT = 4.5;

/** The text colours the renderer chooses between for buttons. */
const BUTTON_TEXT_LIGHT = '#ffffff';
const BUTTON_TEXT_DARK = '#111111';

const HEX = /^#([0-9a-f]{6})$/i;

/** Whether `value` is a colour these functions read (`#rrggbb`). */
export function isHexColour(value: unknown): value is string {
  return typeof value === 'string' && HEX.test(value);
}

/** Relative luminance (WCAG 2.x definition) of a `#rrggbb` colour. */
export function relativeLuminance(hex: string): number {
  const match = HEX.exec(hex);
  if (!match) throw new Error(`Not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(match[1]!.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio, 1 (none) to 21 (black on white); order of the two colours does not matter. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The text colour a button in `primary` gets on the published page. */
export function buttonTextColour(primary: string): string {
  return contrastRatio(primary, BUTTON_TEXT_LIGHT) >= contrastRatio(primary, BUTTON_TEXT_DARK) ? BUTTON_TEXT_LIGHT : BUTTON_TEXT_DARK;
}

export interface ContrastCheck {
  /** What the pair is, e.g. "Text on the background". */
  pair: string;
  foreground: string;
  background: string;
  /** Rounded down to two decimals, as WCAG tools show it (4.496 is not 4.5). */
  ratio: number;
  passes: boolean;
}

/** Floors to two decimals, so a ratio shown as 4.50 really passes. */
function floor2(n: number): number {
  return Math.floor(n * 100) / 100;
}

/**
 * The theme's colour pairs against WCAG AA (4.5:1 for body-size text): the text on the page
 * background and the button label on the brand colour. Pairs with a colour that is not
 * `#rrggbb` yet (being typed) are left out.
 */
export function themeContrast(theme: { primary: string; background: string; text: string }): ContrastCheck[] {
  const checks: ContrastCheck[] = [];
  const check = (pair: string, foreground: string, background: string) => {
    const ratio = floor2(contrastRatio(foreground, background));
    checks.push({ pair, foreground, background, ratio, passes: ratio >= AA_TEXT });
  };
  if (isHexColour(theme.text) && isHexColour(theme.background)) check('Text on the background', theme.text, theme.background);
  if (isHexColour(theme.primary)) check('Button label on the brand colour', buttonTextColour(theme.primary), theme.primary);
  return checks;
}
