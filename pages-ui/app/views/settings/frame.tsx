import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso/router';
import { View, type ViewProps } from '../../shell/view';
import { canEdit, isOwner, workspace } from '../../state';
import './settings.css';

/** The settings area's pages, in the order its navigation lists them. */
export const SETTINGS_PAGES = [
  { href: '/app/settings', label: 'Workspace', about: 'Its name, and where everything else lives.' },
  { href: '/app/settings/members', label: 'Members', about: 'Invite people by link, change their roles, remove them.' },
  { href: '/app/settings/api-keys', label: 'API keys', about: 'Keys for your own code to send leads and events (/api/v1).' },
  { href: '/app/settings/webhooks', label: 'Webhooks', about: 'Tell your other tools when leads and deals change, signed.' },
  { href: '/app/settings/scoring', label: 'Scoring & rules', about: 'Points per funnel, and the rules that turn leads into deals.' },
  { href: '/app/settings/embedding', label: 'Embedded forms', about: 'The sites allowed to show your forms.' },
  { href: '/app/settings/privacy', label: 'Privacy', about: 'Cookieless tracking and visitors’ privacy signals (GPC, DNT).' },
  { href: '/app/settings/sessions', label: 'Sessions', about: 'The devices you are signed in on; sign any of them out.' },
  { href: '/app/settings/security', label: 'Security', about: 'Two-factor authentication for your account; require it in the workspace.' },
  { href: '/app/settings/notifications', label: 'Notifications', about: 'Whether you are emailed when a new lead arrives.' },
  { href: '/app/settings/audit-log', label: 'Audit log', about: 'Who changed what, when and from where (owners).' },
];

/** The page of the area a path belongs to (`/app/settings/webhooks/…` → Webhooks). */
function currentPage(path: string) {
  return SETTINGS_PAGES.filter((p) => path === p.href || path.startsWith(`${p.href}/`)).sort((a, b) => b.href.length - a.href.length)[0]
    ?.href;
}

/** Every settings page: the view frame with the area's own navigation under the heading. */
export function SettingsView(props: ViewProps) {
  const { path } = useLocation();
  const current = currentPage(path);
  return (
    <View {...props} crumbs={props.crumbs ?? (current === '/app/settings' ? undefined : [{ href: '/app/settings', label: 'Settings' }])}>
      <nav class="settings-nav" aria-label="Settings">
        <ul>
          {SETTINGS_PAGES.map((p) => (
            <li key={p.href}>
              <a href={p.href} aria-current={current === p.href ? 'page' : undefined}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {props.children}
    </View>
  );
}

export const OWNER_NOTE_ID = 'owner-only-note';

/**
 * Why an owner-only control is disabled, said once per page; the controls point at it. Viewers
 * already see the layout's read-only note, so this speaks to editors.
 */
export function OwnerOnlyNote(props: { children: ComponentChildren }) {
  if (isOwner.value || !workspace.value) return null;
  return (
    <p class="owner-note" id={OWNER_NOTE_ID}>
      <strong>Owners only.</strong> {props.children} You are {canEdit.value ? 'an editor' : 'a viewer'} in {workspace.value.name}; ask an
      owner if something needs changing.
    </p>
  );
}

/** Props for a control only owners may use: disabled for everyone else, described by the note that says why. */
export function ownerOnly(): { disabled: boolean; 'aria-describedby'?: string } {
  return isOwner.value ? { disabled: false } : { disabled: true, 'aria-describedby': OWNER_NOTE_ID };
}
