/**
 * The app's session state as signals: who is signed in, their workspaces, the current one and
 * what their role there allows. Read `.value` in a component and it re-renders on change.
 */
import { computed, signal } from '@preact/signals';
import { WORKSPACE_COOKIE, type AppBootstrap, type WorkspaceSummary } from '../../workers/contract';

export const session = signal<AppBootstrap>({ user: { id: '', email: '', name: '' }, workspaces: [], workspaceId: null });

/** The workspace every API call acts on (sent as `X-Workspace-Id`). */
export const workspaceId = signal<string | null>(null);

export const workspace = computed<WorkspaceSummary | undefined>(() => session.value.workspaces.find((w) => w.id === workspaceId.value));

/** Viewers read everything and change nothing; the API refuses their writes too (403 read_only_role). */
export const canEdit = computed(() => workspace.value !== undefined && workspace.value.role !== 'viewer');

export const isOwner = computed(() => workspace.value?.role === 'owner');

export function startSession(bootstrap: AppBootstrap): void {
  session.value = bootstrap;
  workspaceId.value = bootstrap.workspaceId;
  rememberWorkspace(bootstrap.workspaceId);
}

/** Switches every view to another workspace; the choice is remembered for the next visit. */
export function switchWorkspace(id: string): void {
  if (!session.value.workspaces.some((w) => w.id === id) || id === workspaceId.value) return;
  workspaceId.value = id;
  rememberWorkspace(id);
}

function rememberWorkspace(id: string | null): void {
  if (!id) return;
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  // Read by the server when it writes the shell (routes/public/app-shell.ts): the first paint is already in this workspace.
  document.cookie = `${WORKSPACE_COOKIE}=${encodeURIComponent(id)}; Path=/app; Max-Age=31536000; SameSite=Lax${secure}`;
}
