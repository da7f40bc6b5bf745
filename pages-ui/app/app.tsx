import { signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso/router';
import { HOME, NOT_FOUND, ROUTES } from './routes';
import { Skeleton } from './shell/feedback';
import { Layout } from './shell/layout';
import { ViewBoundary } from './shell/view-boundary';
import { focusViewHeading } from './shell/view';

/** True while a view's chunk loads (the previous view stays on screen meanwhile). */
const loadingView = signal(false);
/** Until the first view has rendered, the main region shows a skeleton. */
const firstViewShown = signal(false);
let lastUrl = location.pathname;

/** The router inside a boundary that forgets a failure once the URL changes. */
function Views(props: { children: ComponentChildren }) {
  const { url } = useLocation();
  return <ViewBoundary url={url}>{props.children}</ViewBoundary>;
}

function Home() {
  const { route } = useLocation();
  useEffect(() => route(HOME, true), []);
  return null;
}

export function App() {
  return (
    <LocationProvider scope="/app">
      <Layout>
        {loadingView.value ? <div class="route-progress" aria-hidden="true" /> : null}
        {!firstViewShown.value ? <Skeleton rows={4} label="Loading the view…" /> : null}
        <Views>
          <Router
            onLoadStart={() => (loadingView.value = true)}
            onLoadEnd={() => {
              loadingView.value = false;
              firstViewShown.value = true;
            }}
            onRouteChange={(url) => {
              firstViewShown.value = true;
              // Not for /app's own redirect to the funnel list: that is still the first load.
              if (lastUrl !== '/app') focusViewHeading();
              lastUrl = url;
            }}
          >
            <Route path="/app" component={Home} />
            {ROUTES.map((r) => (
              <Route key={r.path} path={r.path} component={r.view} />
            ))}
            <Route default component={NOT_FOUND} />
          </Router>
        </Views>
      </Layout>
    </LocationProvider>
  );
}
