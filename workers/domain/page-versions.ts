/**
 * Why a page version exists: `publish` — the draft published; `restore` — an earlier version
 * published again (rollback); `relink` — the published content re-rendered because the funnel's
 * URLs changed (a page renamed, moved or deleted), so its links and form actions keep working.
 */
export const PAGE_VERSION_REASONS = ['publish', 'restore', 'relink'] as const;
export type PageVersionReason = (typeof PAGE_VERSION_REASONS)[number];
