import { useState, type ReactNode } from "react";
import type { StreamingReply } from "../chat/use-chat";
import type { Conversation } from "../chat/types";
import { EditMessage } from "./EditMessage";
import { EmptyState } from "./EmptyState";
import {
  AssistantActions,
  AssistantMessage,
  StreamingMessage,
  UserActions,
  UserMessage,
} from "./MessageView";
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
  const idle = !streaming;

  let body: ReactNode = null;
  if (ready && messages.length === 0 && !reply) {
    body = <EmptyState onPick={onSuggestion} disabled={streaming} />;
  } else if (ready) {
    body = messages.map((message, index) => {
      const isLast = index === messages.length - 1;
      if (message.role === "assistant") {
        return (
          <AssistantMessage
            key={message.id}
            message={message}
            actions={
              isLast && idle ? (
                <AssistantActions content={message.content} onRegenerate={onRegenerate} />
              ) : null
            }
          />
        );
      }
      if (editing === message.id && index === lastUserIndex && idle) {
        return (
          <EditMessage
            key={message.id}
            initial={message.content}
            onCancel={() => setEditing(null)}
            onSubmit={(text) => {
              setEditing(null);
              onEditLast(text);
            }}
          />
        );
      }
      return (
        <UserMessage
          key={message.id}
          message={message}
          actions={
            index === lastUserIndex && idle ? (
              <UserActions
                onEdit={() => setEditing(message.id)}
                // A trailing user message means the reply failed or was stopped before it began.
                onRegenerate={last?.role === "user" ? onRegenerate : undefined}
              />
            ) : null
          }
        />
      );
    });
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
