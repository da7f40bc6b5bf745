import { useState } from 'preact/hooks';
import { api, asApiError, call, type ApiError } from '../../api';
import { InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { workspace } from '../../state';
import { SettingsView } from './frame';

/**
 * The member's own email notifications in the current workspace. Every role may change them: they
 * concern the member alone, and a notification shows only what the lead list shows them anyway.
 */
export default function Notifications() {
  const prefs = useResource(() => call(api.me.notifications.$get()));
  const [saving, setSaving] = useState<boolean | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const name = workspace.value?.name ?? 'this workspace';

  const toggle = async (newLead: boolean) => {
    setSaving(newLead);
    setError(null);
    try {
      const saved = await call(api.me.notifications.$put({ json: { newLead } }));
      prefs.mutate(() => saved);
      toast(newLead ? `You will be emailed about new leads in ${name}` : `No more new-lead emails from ${name}`);
    } catch (err) {
      setError(asApiError(err, 'The setting could not be saved.'));
    } finally {
      setSaving(null);
    }
  };

  const on = saving ?? prefs.data?.newLead ?? false;
  return (
    <SettingsView
      title="Notifications"
      lede={`What Leadflare emails you about ${name}. These are yours alone; other members choose their own.`}
    >
      <section class="panel" aria-labelledby="email-notifications-heading">
        <h2 id="email-notifications-heading">Email</h2>
        {prefs.error ? <InlineError error={prefs.error} onRetry={prefs.reload} /> : null}
        {!prefs.data && prefs.loading ? <Skeleton rows={1} label="Loading your notifications…" /> : null}
        {prefs.data ? (
          <div class="setting">
            {error ? <InlineError error={error} onRetry={() => void toggle(!on)} /> : null}
            <div class="toggle-row">
              <input
                type="checkbox"
                role="switch"
                id="notify-new-lead"
                class="switch"
                checked={on}
                disabled={saving !== null}
                aria-describedby="notify-new-lead-help"
                onChange={(e) => void toggle(e.currentTarget.checked)}
              />
              <label for="notify-new-lead">Email me when a new lead arrives</label>
            </div>
            <p class="field-hint" id="notify-new-lead-help">
              One email per new lead in {name} — from a funnel page, an embedded form or your store — with their name, email, funnel and
              source, and a link to the lead. Sent to <strong>{prefs.data.email}</strong>. People who come back are not new leads; imported
              leads are not announced.
            </p>
          </div>
        ) : null}
      </section>
    </SettingsView>
  );
}
