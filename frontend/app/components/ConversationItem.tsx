import { memo, useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { Conversation } from "../chat/types";
import { PencilIcon, TrashIcon } from "./icons";

interface Props {
  conversation: Conversation;
  active: boolean;
  onSelect: (id: string) => void;
  onRename: (id: string, title: string) => void;
  onDelete: (id: string) => void;
}

type Mode = "view" | "rename" | "confirm";

/** One entry of the history: open it, rename it inline, or delete it after an inline confirmation. */
export const ConversationItem = memo(function ConversationItem({
  conversation,
  active,
  onSelect,
  onRename,
  onDelete,
}: Props) {
  const [mode, setMode] = useState<Mode>("view");
  const openRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const previous = useRef<Mode>("view");
  // Set once rename ends by Enter or Esc, so the blur that follows unmounting does not save again.
  const renameDone = useRef(false);
  // Focus returns to the item after keyboard-driven changes, but not when the user clicked elsewhere.
  const restoreFocus = useRef(true);

  // Keep keyboard focus on this item when leaving rename/confirm mode.
  useEffect(() => {
    if (mode === "view" && previous.current !== "view" && restoreFocus.current) openRef.current?.focus();
    restoreFocus.current = true;
    if (mode === "confirm") cancelRef.current?.focus();
    previous.current = mode;
  }, [mode]);

  const escapeTo =
    (next: Mode) =>
    (event: KeyboardEvent): void => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      renameDone.current = true;
      setMode(next);
    };
  const startRename = (): void => {
    renameDone.current = false;
    setMode("rename");
  };

  if (mode === "rename") {
    return (
      <li className="conversation editing">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const input = event.currentTarget.elements.namedItem("title") as HTMLInputElement;
            renameDone.current = true;
            onRename(conversation.id, input.value);
            setMode("view");
          }}
        >
          <input
            name="title"
            aria-label="Conversation name"
            defaultValue={conversation.title}
            maxLength={120}
            // The user just asked to rename this item, so focus belongs here.
            autoFocus
            onFocus={(event) => event.currentTarget.select()}
            onKeyDown={escapeTo("view")}
            onBlur={(event) => {
              if (renameDone.current) return;
              renameDone.current = true;
              restoreFocus.current = false;
              onRename(conversation.id, event.currentTarget.value);
              setMode("view");
            }}
          />
        </form>
      </li>
    );
  }

  if (mode === "confirm") {
    return (
      <li className="conversation confirming" onKeyDown={escapeTo("view")}>
        <span className="confirm-text">Delete “{conversation.title}”?</span>
        <span className="confirm-actions">
          <button type="button" className="danger small" onClick={() => onDelete(conversation.id)}>
            Delete
          </button>
          <button ref={cancelRef} type="button" className="ghost small" onClick={() => setMode("view")}>
            Cancel
          </button>
        </span>
      </li>
    );
  }

  return (
    <li className={active ? "conversation active" : "conversation"}>
      <button
        ref={openRef}
        type="button"
        className="conversation-open"
        aria-current={active ? "page" : undefined}
        onClick={() => onSelect(conversation.id)}
      >
        {conversation.title}
      </button>
      <span className="conversation-actions">
        <button
          type="button"
          className="ghost icon"
          aria-label={`Rename “${conversation.title}”`}
          title="Rename"
          onClick={startRename}
        >
          <PencilIcon />
        </button>
        <button
          type="button"
          className="ghost icon"
          aria-label={`Delete “${conversation.title}”`}
          title="Delete"
          onClick={() => setMode("confirm")}
        >
          <TrashIcon />
        </button>
      </span>
    </li>
  );
});
