/** What the shell HTML of the team's app (`/app/*`) carries inline, so the first paint needs no round trip. */
import type { Role } from '../domain/roles';
import type { AuthUser } from './accounts';

export interface WorkspaceSummary {
  id: string;
  name: string;
  role: Role;
}

export interface AppBootstrap {
  user: AuthUser;
  /** The member's workspaces, oldest membership first. */
  workspaces: WorkspaceSummary[];
  /** The workspace the app opens in (from `?workspace=`, the `lf_workspace` cookie, else the first); null without any. */
  workspaceId: string | null;
}

/** The id of the inline JSON element holding the AppBootstrap. */
export const BOOTSTRAP_ELEMENT_ID = 'lf-bootstrap';
/** Remembers the workspace last opened in the app (set by the app, read by the shell route). */
export const WORKSPACE_COOKIE = 'lf_workspace';
