/** Rich text tree → Preact nodes. Text is always a text node, so Preact escapes it. */
import type { ComponentChildren } from 'preact';
import { parseRichText, type RichInline } from '../../workers/domain/rich-text';
import { isHttpUrl, isSafeLinkHref } from '../../workers/domain/safe-urls';

function inline(nodes: RichInline[]): ComponentChildren {
  return nodes.map((node) => {
    switch (node.kind) {
      case 'text':
        return node.text;
      case 'strong':
        return <strong>{inline(node.children)}</strong>;
      case 'em':
        return <em>{inline(node.children)}</em>;
      case 'link':
        // The schema already rejects unsafe links; this keeps a stored page safe even if it did not.
        if (!isSafeLinkHref(node.href)) return inline(node.children);
        return (
          <a href={node.href} rel={isHttpUrl(node.href) ? 'noopener' : undefined}>
            {inline(node.children)}
          </a>
        );
    }
  });
}

export function RichText(props: { markdown: string }) {
  return (
    <>
      {parseRichText(props.markdown).map((block) => {
        switch (block.kind) {
          case 'paragraph':
            return <p>{inline(block.children)}</p>;
          case 'heading':
            return block.level === 2 ? <h2>{inline(block.children)}</h2> : <h3>{inline(block.children)}</h3>;
          case 'list':
            return (
              <ul>
                {block.items.map((item) => (
                  <li>{inline(item)}</li>
                ))}
              </ul>
            );
        }
      })}
    </>
  );
}
