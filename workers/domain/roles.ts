/** A member's role in a workspace, most powerful first (db/schema.ts stores it by name). Viewers are read-only. */
export const ROLES = ['owner', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
