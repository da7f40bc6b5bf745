import { Component, type ComponentChildren } from 'preact';
import { View } from './view';

interface Props {
  /** The current URL: a failure is shown only until the member goes somewhere else. */
  url: string;
  children: ComponentChildren;
}

/**
 * Keeps a view's failure inside the main region: the navigation stays usable and the member can
 * try the view again, instead of the whole app going blank.
 */
export class ViewBoundary extends Component<Props, { failedAt: string | null; message: string }> {
  override state = { failedAt: null as string | null, message: '' };

  override componentDidCatch(error: unknown) {
    this.setState({ failedAt: this.props.url, message: error instanceof Error ? error.message : String(error) });
  }

  override render() {
    if (this.state.failedAt === null || this.state.failedAt !== this.props.url) return this.props.children;
    return (
      <View title="Something went wrong">
        <div class="inline-error" role="alert">
          <p>This screen stopped working ({this.state.message}). The rest of the app still works.</p>
          <button type="button" class="button" onClick={() => this.setState({ failedAt: null })}>
            Try again
          </button>
        </div>
      </View>
    );
  }
}
