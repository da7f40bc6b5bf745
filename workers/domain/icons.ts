/**
 * The icons a block can show (feature cards), by name. They are drawn as inline SVG by the
 * renderer (pages-ui/landing/icons.tsx), so a page never depends on the visitor having an emoji
 * font: emoji render as empty boxes on many Linux desktops, kiosks and older Android phones.
 */

export const ICON_NAMES = [
  'award',
  'bolt',
  'book',
  'box',
  'calendar',
  'chart',
  'chat',
  'check',
  'clock',
  'coffee',
  'droplet',
  'gift',
  'globe',
  'heart',
  'leaf',
  'lock',
  'mail',
  'mountain',
  'refresh',
  'shield',
  'smile',
  'sparkles',
  'star',
  'sun',
  'target',
  'trending',
  'truck',
  'users',
  'video',
] as const;

export type IconName = (typeof ICON_NAMES)[number];

/**
 * Emoji that pages used before icons had names, and what each one becomes. Content saved with an
 * emoji keeps validating (the schema maps it on the way in) and keeps rendering (published
 * versions are stored as they were, so the renderer maps too).
 */
const EMOJI_ICONS: Record<string, IconName> = {
  '🏆': 'award',
  '🥇': 'award',
  '⚡': 'bolt',
  '📘': 'book',
  '📖': 'book',
  '📚': 'book',
  '📦': 'box',
  '📅': 'calendar',
  '🗓': 'calendar',
  '📊': 'chart',
  '💬': 'chat',
  '🗨': 'chat',
  '✅': 'check',
  '✔': 'check',
  '✓': 'check',
  '⏱': 'clock',
  '⏰': 'clock',
  '🕒': 'clock',
  '⌛': 'clock',
  '☕': 'coffee',
  '💧': 'droplet',
  '🎁': 'gift',
  '🌍': 'globe',
  '🌎': 'globe',
  '🌏': 'globe',
  '🌐': 'globe',
  '❤': 'heart',
  '💖': 'heart',
  '💕': 'heart',
  '🌿': 'leaf',
  '🍃': 'leaf',
  '🌱': 'leaf',
  '🔒': 'lock',
  '🔐': 'lock',
  '✉': 'mail',
  '📧': 'mail',
  '📩': 'mail',
  '⛰': 'mountain',
  '🏔': 'mountain',
  '♻': 'refresh',
  '🔄': 'refresh',
  '🛡': 'shield',
  '😊': 'smile',
  '🙂': 'smile',
  '✨': 'sparkles',
  '⭐': 'star',
  '🌟': 'star',
  '★': 'star',
  '☀': 'sun',
  '🎯': 'target',
  '📈': 'trending',
  '🚚': 'truck',
  '👥': 'users',
  '🎥': 'video',
  '📹': 'video',
};

const isIconName = (value: string): value is IconName => (ICON_NAMES as readonly string[]).includes(value);

/** Variation selectors and the zero-width joiner: "⏱️" is "⏱" + U+FE0F. */
const EMOJI_MODIFIERS = /[\uFE0E\uFE0F\u200D]/g;

/** The icon an emoji used to stand for, or the value itself; undefined for anything else. */
export function iconFromEmoji(value: string): IconName | undefined {
  const trimmed = value.trim();
  if (isIconName(trimmed)) return trimmed;
  return EMOJI_ICONS[trimmed.replace(EMOJI_MODIFIERS, '')];
}

/** What to draw for a stored value: its icon, or a neutral one for a value no longer known. */
export function iconToDraw(value: string): IconName {
  return iconFromEmoji(value) ?? 'sparkles';
}
