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
}
