import type { FunnelNavigation } from '../../workers/domain/funnel-links';

/** Everything the renderer needs to know about where and in which state a page is shown. */
export interface RenderContext extends FunnelNavigation {
  funnelSlug: string;
  pageSlug: string;
  /** This page's path, e.g. '/p/cosmetics-set/quiz': every form posts here. */
  pagePath: string;
  /** URL of another page of the funnel. */
  pageUrl(slug: string): string;
  /** The following page in funnel order. */
  nextPageUrl: string | null;
  /**
   * Re-rendering after a failed POST: the values are kept and messages shown next to fields;
   * `message` is about the form as a whole (e.g. "This form had expired. Please submit it again.").
   */
  formState?: { blockId: string; values: Record<string, string>; errors: Record<string, string>; message?: string };
  /** After a completed quiz: the outcome is shown in place of the quiz. */
  quizResult?: { blockId: string; score: number; outcome: { title: string; description: string } | null };
  /** After a lead-magnet form: the (signed, expiring) download link replaces the gate. */
  download?: { blockId: string; url: string };
  /** After a chat capture or lead form without a success target: the block shows its thank-you line. */
  formDone?: { blockId: string };
  /** A draft shown to a signed-in editor: banner, and never indexed. */
  preview?: boolean;
  /** A template shown in the gallery: never indexed, no tracker, no banner (it is not anyone's draft). */
  sample?: boolean;
  /** Render time (epoch ms) for countdowns; without it a countdown always shows its deadline. */
  now?: number;
}
