import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { signOut } from '../api';
import { NAV } from '../routes';
import { session, switchWorkspace, workspace, workspaceId } from '../state';
import { ReadOnlyNote } from './can-edit';
import { ConfirmHost } from './confirm';
import { Toasts, toast } from './toasts';
import { VerifyBanner } from './verify-banner';

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** Which nav item a path belongs to: the longest matching prefix. */
function currentSection(path: string): string | undefined {
  const matches = NAV.flatMap((item) => [item.href, ...(item.owns ?? [])].filter((p) => under(path, p)).map((p) => ({ p, item })));
  return matches.sort((a, b) => b.p.length - a.p.length)[0]?.item.href;
}

/**
 * The frame around every view: skip link, the sidebar (a menu button on phones) with the
 * navigation, workspace switcher and the signed-in member, the read-only note, the main region,
 * the toasts and the confirm dialog.
 */
export function Layout(props: { children: ComponentChildren }) {
  const { path, route } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const section = currentSection(path);
  const user = session.value.user;

  const onSwitch = (id: string) => {
    switchWorkspace(id);
    setMenuOpen(false);
    // Ids in the URL belong to the old workspace: go to the section's list.
    if (section && path !== section) route(section);
    toast(`Switched to ${workspace.value?.name ?? 'the workspace'}`);
  };

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="sidebar">
        <div class="sidebar-top">
          <a class="brand" href="/app/funnels">
            Leadflare
          </a>
          <button
            type="button"
            class="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="app-menu"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            {menuOpen ? 'Close' : 'Menu'}
          </button>
        </div>
        <div id="app-menu" class={menuOpen ? 'menu open' : 'menu'}>
          <nav aria-label="Main">
            <ul class="nav">
              {NAV.map((item) => (
                <li key={item.href}>
                  <a href={item.href} aria-current={section === item.href ? 'page' : undefined} onClick={() => setMenuOpen(false)}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="account">
            {session.value.workspaces.length > 0 ? (
              <div class="field workspace-switcher">
                <label for="workspace-switcher">Workspace</label>
                <select id="workspace-switcher" value={workspaceId.value ?? ''} onChange={(e) => onSwitch(e.currentTarget.value)}>
                  {session.value.workspaces.map((w) => (
                    <option key={w.id} value={w.id}>
                      {w.name} ({w.role})
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <p class="member">
              <span class="member-name">{user.name}</span>
              <span class="member-email">{user.email}</span>
            </p>
            <button
              type="button"
              class="button secondary sign-out"
              onClick={() => signOut().catch(() => toast('Could not sign out. Check your connection and try again.', 'error'))}
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main class="main" id="main" tabIndex={-1}>
        <VerifyBanner />
        <ReadOnlyNote />
        {props.children}
      </main>
      <Toasts />
      <ConfirmHost />
    </div>
  );
}
