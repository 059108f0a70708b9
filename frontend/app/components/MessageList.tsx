import { useState, type ReactNode } from "react";
import type { StreamingReply } from "../chat/use-chat";
import type { Conversation } from "../chat/types";
import { EmptyState } from "./EmptyState";
import { MessageEntry } from "./MessageEntry";
import { StreamingMessage } from "./MessageView";
import { useStickToBottom } from "./use-stick-to-bottom";

interface Props {
  conversation: Conversation | null;
  /** The reply streaming into this conversation, if any. */
  reply: StreamingReply | null;
  streaming: boolean;
  ready: boolean;
  onSuggestion: (text: string) => void;
  onRegenerate: () => void;
  onEditLast: (text: string) => void;
}

/**
 * The message log. role="log" with aria-live off: token-by-token updates would flood screen readers, so the
 * app announces once per reply through its status region instead. aria-busy marks the streaming period.
 */
export function MessageList({
  conversation,
  reply,
  streaming,
  ready,
  onSuggestion,
  onRegenerate,
  onEditLast,
}: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const messages = conversation?.messages ?? [];
  const lastUserIndex = messages.findLastIndex((m) => m.role === "user");
  const { ref, onScroll } = useStickToBottom<HTMLDivElement>(
    `${messages.length}:${reply?.text.length ?? -1}:${editing ?? ""}`,
    `${conversation?.id}:${messages[lastUserIndex]?.id}`,
  );
  const last = messages.at(-1);

  let body: ReactNode = null;
  if (ready && messages.length === 0 && !reply) {
    body = <EmptyState onPick={onSuggestion} disabled={streaming} />;
  } else if (ready) {
    body = messages.map((message, index) => (
      <MessageEntry
        key={message.id}
        message={message}
        isLast={index === messages.length - 1}
        isLastUser={index === lastUserIndex}
        idle={!streaming}
        editing={editing === message.id}
        replyMissing={last?.role === "user"}
        onRegenerate={onRegenerate}
        onEditingChange={setEditing}
        onEditLast={onEditLast}
      />
    ));
  }

  return (
    <div
      ref={ref}
      onScroll={onScroll}
      className="log"
      role="log"
      aria-live="off"
      aria-label="Messages"
      aria-busy={streaming}
      // Focusable so keyboard users can scroll the history with the arrow keys.
      tabIndex={0}
    >
      <div className="log-inner">
        {body}
        {ready && reply ? <StreamingMessage text={reply.text} model={reply.model} /> : null}
      </div>
    </div>
  );
}
