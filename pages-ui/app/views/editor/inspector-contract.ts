/**
 * What the page editor hands its inspector (views/editor/inspector/inspector.tsx, default export).
 * The editor owns the draft, undo history and saving; the inspector only renders the form for the
 * selected block (or the page's theme and settings when none is selected) and reports whole new
 * values. Keeping the boundary this small lets the two be built and tested apart.
 */
import type { JSX } from 'preact';
import type { Block, PageSettings, Theme } from '../../../../workers/domain/blocks';

export interface InspectorProps {
  /** The selected block, or null when the page itself is selected (theme, SEO and settings panels). */
  block: Block | null;
  /** The selected block's position in the page, -1 when none; server error keys use it (`blocks.3.headline`). */
  blockIndex: number;
  theme: Theme;
  settings: PageSettings;
  /** The whole new block value; the editor records undo history and coalesces typing in one field. */
  onChangeBlock(next: Block): void;
  onChangeTheme(next: Theme): void;
  onChangeSettings(next: PageSettings): void;
  /** The server's field errors for this page, keys like 'blocks.3.headline' or 'settings.title'. */
  errors: Record<string, string>;
  /** A viewer: everything shown, nothing editable. */
  readOnly: boolean;
}

export type InspectorComponent = (props: InspectorProps) => JSX.Element;
