import { useRef, useState } from 'react';

/** The object as its engine's own tools print it, with a Copy button (kept-back values stay masked here). */
export function RawView({ format, text }: { format: 'yaml' | 'json'; text: string }) {
  const pre = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState<string | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied.');
    } catch {
      // No clipboard permission (a page over plain HTTP on another name): select it for Ctrl+C instead.
      const sel = window.getSelection();
      if (pre.current && sel) {
        sel.selectAllChildren(pre.current);
        setCopied('Selected: press Ctrl+C (⌘C) to copy.');
      } else setCopied('Could not copy: select the text and copy it by hand.');
    }
    setTimeout(() => setCopied(undefined), 3000);
  };
  const label = format.toUpperCase();
  return (
    <>
      <div className="inspect-raw-bar">
        <button type="button" className="secondary" onClick={() => void copy()} aria-label={`Copy raw ${label}`}>
          Copy {label}
        </button>
        <span role="status" className="muted">
          {copied ?? ''}
        </span>
      </div>
      <pre ref={pre} className="inspect-pre inspect-raw" aria-label={`Raw ${label}`} tabIndex={0}>
        {text}
      </pre>
    </>
  );
}
