import { memo, useMemo, type MouseEvent } from "react";
import { copyText } from "../chat/clipboard";
import { renderMarkdown, renderWithCaret } from "../chat/markdown";

/** Sanitised Markdown. Copy buttons inside code blocks are handled here by event delegation. */
export const Markdown = memo(function Markdown({ text, caret = false }: { text: string; caret?: boolean }) {
  const html = useMemo(() => (caret ? renderWithCaret(text) : renderMarkdown(text)), [text, caret]);

  const onClick = (event: MouseEvent<HTMLDivElement>): void => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-copy-code]");
    const code = button?.closest(".code-block")?.querySelector("code");
    if (!button || !code) return;
    void copyText(code.textContent ?? "").then((ok) => {
      button.textContent = ok ? "Copied" : "Copy failed";
      setTimeout(() => (button.textContent = "Copy code"), 1500);
    });
  };

  // Not a widget itself: clicks (and Enter/Space, which click a button) come from the real <button>s inside.
  return <div className="markdown" onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
});
