import DOMPurify from "dompurify";
import { Marked, type Tokens } from "marked";

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    // Fenced code gets a header with the language and a copy button (handled by event delegation).
    code({ text, lang }: Tokens.Code): string {
      const language = (lang ?? "").match(/^[\w+#.-]+/)?.[0] ?? "";
      const label = language ? escapeHtml(language) : "text";
      const cls = language ? ` class="language-${escapeHtml(language)}"` : "";
      return (
        `<div class="code-block"><div class="code-head"><span>${label}</span>` +
        `<button type="button" class="copy-code" data-copy-code>Copy code</button></div>` +
        `<pre><code${cls}>${escapeHtml(text.replace(/\n$/, ""))}</code></pre></div>`
      );
    },
    // Raw HTML from a model is shown as text, never interpreted.
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    // Remote images could leak the conversation through their URL (prompt-injection exfiltration): link instead.
    image({ href, text }: Tokens.Image): string {
      return `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`;
    },
  },
});

let hooked = false;
function purifier(): typeof DOMPurify {
  if (!hooked) {
    hooked = true;
    DOMPurify.addHook("afterSanitizeAttributes", (node) => {
      if (node.tagName === "A") {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer nofollow");
      }
    });
  }
  return DOMPurify;
}

/** Markdown → sanitised HTML. Browser only (DOMPurify needs a DOM). */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false });
  return purifier().sanitize(html, {
    FORBID_TAGS: ["img", "style", "form", "input", "textarea", "select", "iframe"],
    FORBID_ATTR: ["style"],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
    ADD_ATTR: ["target"],
  });
}

/** A private-use character that survives Markdown and sanitising, marking where the text currently ends. */
const CARET_MARK = "\uE000";

/** Like renderMarkdown, with a blinking caret right after the last character (inside lists and code too). */
export function renderWithCaret(markdown: string): string {
  const html = renderMarkdown(markdown + CARET_MARK);
  const at = html.lastIndexOf(CARET_MARK);
  const caret = '<span class="caret" aria-hidden="true"></span>';
  return at < 0 ? html + caret : html.slice(0, at) + caret + html.slice(at + CARET_MARK.length);
}
