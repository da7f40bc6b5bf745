/**
 * The icon set as inline SVG: one 24×24 stroked path each, drawn in the theme's link colour by the
 * page stylesheet (`.ic svg`), so icons need no font, no request and no script. Only the icons a
 * page uses are in its HTML.
 */
import { iconToDraw, type IconName } from '../../workers/domain/icons';

/** Circle of radius r at (x, y) as path data (two arcs), so every icon is a single <path>. */
const circle = (x: number, y: number, r: number) => `M${x - r} ${y}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

const ICON_PATHS: Record<IconName, string> = {
  award: `${circle(12, 9, 6)}M8.5 13.9 7 22l5-3 5 3-1.5-8.1`,
  bolt: 'M13 2 4 14h7l-1 8 9-12h-7z',
  book: 'M4 19.5V5a2 2 0 0 1 2-2h14v15H6a2 2 0 0 0-2 2 2 2 0 0 0 2 2h14v-4M8 7h8',
  box: 'M12 2.5 20.5 7v10L12 21.5 3.5 17V7zM3.5 7 12 11.5 20.5 7M12 11.5v10',
  calendar: 'M4 5h16v16H4zM4 10h16M8 2.5v5M16 2.5v5M8 14h2M14 14h2M8 17.5h2',
  chart: 'M4 3v17h17M8 16v-4M12 16V8M16 16v-6M20 16V5',
  chat: 'M4 4h16v12H10l-5 4v-4H4z',
  check: 'M4.5 12.5 9.5 17.5 19.5 6.5',
  clock: `${circle(12, 12, 9)}M12 7v5l3.5 2`,
  coffee: 'M4 9h13v5a5 5 0 0 1-5 5H9a5 5 0 0 1-5-5zM17 10.5h1.5a2.5 2.5 0 0 1 0 5H17M8 2.5v3M12.5 2.5v3M3 22h15',
  droplet: 'M12 2.5s6.5 7 6.5 11.5a6.5 6.5 0 0 1-13 0C5.5 9.5 12 2.5 12 2.5z',
  gift: 'M3.5 8h17v4h-17zM5 12h14v9H5zM12 8v13M12 8C10.5 4 6.5 3.5 6.5 6c0 1.5 2 2 5.5 2M12 8c1.5-4 5.5-4.5 5.5-2 0 1.5-2 2-5.5 2',
  globe: `${circle(12, 12, 9)}M3 12h18M12 3c2.5 2.4 3.8 5.4 3.8 9s-1.3 6.6-3.8 9c-2.5-2.4-3.8-5.4-3.8-9S9.5 5.4 12 3z`,
  heart: 'M12 20.5S3.5 15.5 3.5 9.5A4.5 4.5 0 0 1 12 7.3a4.5 4.5 0 0 1 8.5 2.2c0 6-8.5 11-8.5 11z',
  leaf: 'M5 19C5 10 10 4.5 20 4c0 9.5-5.5 15-15 15zM5 19l8.5-8.5',
  lock: 'M5 11h14v10H5zM8 11V7.5a4 4 0 0 1 8 0V11M12 15v2',
  mail: 'M3 5.5h18v13H3zM3 6.5l9 6.5 9-6.5',
  mountain: 'M2.5 20 9 9l4 6.5 2.5-3.5 6 8zM7 12.5l2 1.5 2-1.5',
  refresh: 'M20 11a8 8 0 0 0-14.5-4.5L4 8.5M4 3.5v5h5M4 13a8 8 0 0 0 14.5 4.5l1.5-2M20 20.5v-5h-5',
  shield: 'M12 2.5 20 5.5v6c0 5-3.4 8.6-8 10-4.6-1.4-8-5-8-10v-6zM8.5 12l2.5 2.5 4.5-5',
  smile: `${circle(12, 12, 9)}M8 14.5s1.5 2 4 2 4-2 4-2M9 9.5h.01M15 9.5h.01`,
  sparkles: 'M11 3l1.9 5.1L18 10l-5.1 1.9L11 17l-1.9-5.1L4 10l5.1-1.9zM18.5 15.5l.8 2.2 2.2.8-2.2.8-.8 2.2-.8-2.2-2.2-.8 2.2-.8z',
  star: 'M12 2.8l2.8 5.8 6.4.9-4.6 4.5 1.1 6.3L12 17.3l-5.7 3 1.1-6.3-4.6-4.5 6.4-.9z',
  sun: `${circle(12, 12, 4)}M12 2v2.5M12 19.5V22M4.9 4.9l1.8 1.8M17.3 17.3l1.8 1.8M2 12h2.5M19.5 12H22M4.9 19.1l1.8-1.8M17.3 6.7l1.8-1.8`,
  target: `${circle(12, 12, 9)}${circle(12, 12, 5)}${circle(12, 12, 1)}`,
  trending: 'M3 17.5 9.5 11l4 4L21 7.5M15 7.5h6v6',
  truck: `M2.5 5.5h11.5v10.5H2.5zM14 9.5h4l3.5 3.5v3H14${circle(6.5, 18, 2)}${circle(17.5, 18, 2)}`,
  users: `${circle(9, 8, 3.5)}M2.5 20.5c0-3.6 2.9-6.5 6.5-6.5s6.5 2.9 6.5 6.5M15.5 4.7a3.5 3.5 0 0 1 0 6.6M18 14.3c2.1.8 3.5 3.1 3.5 6.2`,
  video: 'M2.5 6h13v12h-13zM15.5 10.5 21.5 7v10l-6-3.5',
};

/** A decorative icon (hidden from screen readers: the text next to it says what it means). */
export function Icon(props: { name: string }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={ICON_PATHS[iconToDraw(props.name)]} />
    </svg>
  );
}

export { ICON_PATHS };
