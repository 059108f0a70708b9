import { memo, useState, type ReactNode } from "react";
import { copyText } from "../chat/clipboard";
import type { ChatMessage } from "../chat/types";
import { CopyIcon, PencilIcon, RefreshIcon } from "./icons";
import { Markdown } from "./Markdown";

const STATUS_NOTE = { stopped: "Stopped", error: "Interrupted" } as const;

export const UserMessage = memo(function UserMessage({
  message,
  actions,
}: {
  message: ChatMessage;
  actions?: ReactNode;
}) {
  return (
    <div className="message message-user">
      <span className="sr-only">You said:</span>
      <div className="bubble">{message.content}</div>
      {actions}
    </div>
  );
});

export const AssistantMessage = memo(function AssistantMessage({
  message,
  actions,
}: {
  message: ChatMessage;
  actions?: ReactNode;
}) {
  const note =
    message.status === "stopped" || message.status === "error" ? STATUS_NOTE[message.status] : null;
  return (
    <div className="message message-assistant">
      <p className="message-meta">
        <span>Assistant</span>
        {message.model ? <span className="model-tag">{message.model}</span> : null}
      </p>
      <Markdown text={message.content} />
      {note ? <p className={`status-note status-${message.status}`}>{note}</p> : null}
      {actions}
    </div>
  );
});

/** The reply while it streams: a thinking indicator until the first token, then text with a caret. */
export function StreamingMessage({ text, model }: { text: string; model?: string }) {
  return (
    <div className="message message-assistant streaming">
      <p className="message-meta">
        <span>Assistant</span>
        {model ? <span className="model-tag">{model}</span> : null}
      </p>
      {text ? (
        <Markdown text={text} caret />
      ) : (
        <p className="thinking">
          <span className="dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span className="sr-only">Assistant is writing…</span>
        </p>
      )}
    </div>
  );
}

export function AssistantActions({ content, onRegenerate }: { content: string; onRegenerate: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="message-actions">
      <button
        type="button"
        className="ghost small"
        onClick={() =>
          void copyText(content).then((ok) => {
            setCopied(ok);
            if (ok) setTimeout(() => setCopied(false), 1500);
          })
        }
      >
        <CopyIcon />
        {copied ? "Copied" : "Copy"}
      </button>
      <button type="button" className="ghost small" onClick={onRegenerate}>
        <RefreshIcon />
        Regenerate
      </button>
    </div>
  );
}

export function UserActions({ onEdit, onRegenerate }: { onEdit: () => void; onRegenerate?: () => void }) {
  return (
    <div className="message-actions">
      <button type="button" className="ghost small" onClick={onEdit}>
        <PencilIcon />
        Edit
      </button>
      {onRegenerate ? (
        <button type="button" className="ghost small" onClick={onRegenerate}>
          <RefreshIcon />
          Get a reply
        </button>
      ) : null}
    </div>
  );
}
