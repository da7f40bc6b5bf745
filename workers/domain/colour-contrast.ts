/**
 * WCAG 2.x contrast between two sRGB colours given as `#rrggbb`. Pure and dependency-free, so the
 * editor can run it on every keystroke in the browser and the server gets the same answer.
 */

/** WCAG 2.1 AA: normal text, large text (≥ 24 px, or ≥ 18.66 px bold) and UI components. */
export const AA_NORMAL_TEXT = 4.5;
export const AA_LARGE_TEXT = 3;
export const AA_NON_TEXT = 3;

type Rgb = [number, number, number];

function parseHex(hex: unknown): Rgb | null {
  const m = typeof hex === 'string' ? /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim()) : null;
  return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)] : null;
}

function luminanceOf([r, g, b]: Rgb): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG relative luminance (0 black – 1 white) of a `#rrggbb` colour, or null when it is not one. */
export function relativeLuminance(hex: string): number | null {
  const rgb = parseHex(hex);
  return rgb ? luminanceOf(rgb) : null;
}

/** The contrast ratio (1–21) of two `#rrggbb` colours, or null when either is not one. */
export function contrastRatio(a: string, b: string): number | null {
  const x = relativeLuminance(a);
  const y = relativeLuminance(b);
  if (x === null || y === null) return null;
  const [light, dark] = [x, y].sort((p, q) => q - p) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * The label colour the landing theme puts on primary-coloured buttons: white or near-black,
 * whichever contrasts more (pages-ui/landing/theme.ts uses this to choose it).
 */
export function labelColourOn(background: string): string {
  return (contrastRatio(background, '#ffffff') ?? 0) >= (contrastRatio(background, '#111111') ?? 0) ? '#ffffff' : '#111111';
}
