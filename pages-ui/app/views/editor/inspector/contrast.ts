/**
 * WCAG 2.x contrast of the theme's colour pairs, for the theme panel's warning. The published
 * page puts white or near-black text on buttons, whichever contrasts more with the brand colour
 * (pages-ui/landing/theme.ts); this module predicts the same choice so the warning matches what
 * visitors will see.
 */

import { AA_NORMAL_TEXT, contrastRatio, labelColourOn, relativeLuminance } from '../../../../../workers/domain/colour-contrast';

/** The published page's maths, so the warning matches what visitors will see. */
export { contrastRatio, relativeLuminance };
/** WCAG AA for normal-size text. */
export const AA_TEXT = AA_NORMAL_TEXT;
/** The text colour a button in `primary` gets on the published page. */
export const buttonTextColour = labelColourOn;

const HEX = /^#([0-9a-f]{6})$/i;

/** Whether `value` is a colour these functions read (`#rrggbb`). */
export function isHexColour(value: unknown): value is string {
  return typeof value === 'string' && HEX.test(value);
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
 * background and the button label on the brand colour (filled buttons only). Pairs with a colour that is not
 * `#rrggbb` yet (being typed) are left out.
 */
export function themeContrast(theme: {
  primary: string;
  background: string;
  text: string;
  buttonFill?: string | undefined;
}): ContrastCheck[] {
  const checks: ContrastCheck[] = [];
  const check = (pair: string, foreground: string, background: string) => {
    const ratio = floor2(contrastRatio(foreground, background) ?? 1);
    checks.push({ pair, foreground, background, ratio, passes: ratio >= AA_TEXT });
  };
  if (isHexColour(theme.text) && isHexColour(theme.background)) check('Text on the background', theme.text, theme.background);
  // Outline buttons have no brand-colour fill behind their label (it takes the derived link colour).
  if (isHexColour(theme.primary) && theme.buttonFill !== 'outline') {
    check('Button label on the brand colour', buttonTextColour(theme.primary), theme.primary);
  }
  return checks;
}
