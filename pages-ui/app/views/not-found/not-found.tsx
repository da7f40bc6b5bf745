import { useLocation } from 'preact-iso/router';
import { EmptyState } from '../../shell/feedback';
import { View } from '../../shell/view';

/** Any /app URL the app does not know. */
export default function NotFound() {
  const { path } = useLocation();
  return (
    <View title="Page not found">
      <EmptyState title="Nothing lives at this address" action={<a href="/app/funnels">Go to your funnels</a>}>
        <code>{path}</code> is not a screen of Leadflare. The link may be mistyped or out of date.
      </EmptyState>
    </View>
  );
}
