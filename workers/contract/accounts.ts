/** Who is signed in, as the session services resolve it and `/api/me` and the pages show it. */
import type { Role } from '../domain/roles';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
}

export interface Membership {
  workspaceId: string;
  role: Role;
  /** The workspace requires two-factor authentication and this member has not set it up: the session may not use it yet. */
  twoFactorMissing?: boolean;
}

/** One of a member's signed-in sessions, as `GET /api/me/sessions` lists them. */
export interface SessionSummary {
  id: string;
  /** A short name from the User-Agent, e.g. "Chrome on Linux". */
  device: string;
  userAgent: string | null;
  createdAt: number;
  /** Accurate to the minute: sessions record their use at most once a minute. */
  lastUsedAt: number;
  /** The session this request was made with. */
  current: boolean;
}
