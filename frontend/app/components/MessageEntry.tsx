import type { ChatMessage } from "../chat/types";
import { EditMessage } from "./EditMessage";
import { AssistantActions, AssistantMessage, UserActions, UserMessage } from "./MessageView";

interface Props {
  message: ChatMessage;
  /** Actions show on the newest reply and the newest user message only, and never while a reply streams. */
  isLast: boolean;
  isLastUser: boolean;
  idle: boolean;
  editing: boolean;
  /** A trailing user message means the reply failed or was stopped before it began. */
  replyMissing: boolean;
  onRegenerate: () => void;
  onEditingChange: (id: string | null) => void;
  onEditLast: (text: string) => void;
}

/** One message of the log, with its actions, or the edit form for the last user message. */
export function MessageEntry({
  message,
  isLast,
  isLastUser,
  idle,
  editing,
  replyMissing,
  onRegenerate,
  onEditingChange,
  onEditLast,
}: Props) {
  if (message.role === "assistant") {
    return (
      <AssistantMessage
        message={message}
        actions={
          isLast && idle ? <AssistantActions content={message.content} onRegenerate={onRegenerate} /> : null
        }
      />
    );
  }
  if (editing && isLastUser && idle) {
    return (
      <EditMessage
        initial={message.content}
        onCancel={() => onEditingChange(null)}
        onSubmit={(text) => {
          onEditingChange(null);
          onEditLast(text);
        }}
      />
    );
  }
  return (
    <UserMessage
      message={message}
      actions={
        isLastUser && idle ? (
          <UserActions
            onEdit={() => onEditingChange(message.id)}
            onRegenerate={replyMissing ? onRegenerate : undefined}
          />
        ) : null
      }
    />
  );
}
