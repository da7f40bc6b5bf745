import { useState } from 'preact/hooks';
import { toast } from '../../shell/toasts';

/** Puts `text` on the clipboard; falls back to a selected textarea and execCommand where the Clipboard API is refused (plain http). */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    if (!ok) throw new Error('copy refused');
  }
}

/** A button that copies `text` and says so (on the button for a moment, and in a toast screen readers hear). */
export function CopyButton(props: { text: string; label: string; what: string; class?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      class={props.class ?? 'button small secondary'}
      onClick={() =>
        copyText(props.text).then(
          () => {
            setCopied(true);
            toast(`${props.what} copied`);
            setTimeout(() => setCopied(false), 2000);
          },
          () => toast(`Could not copy. Select the ${props.what.toLowerCase()} and copy it yourself.`, 'error'),
        )
      }
    >
      {copied ? 'Copied' : props.label}
    </button>
  );
}
