import { memo, useEffect, useRef, useState, type RefObject } from "react";
import type { Conversation } from "../chat/types";
import { ConfirmDelete } from "./ConfirmDelete";
import { PencilIcon, TrashIcon } from "./icons";
import { RenameConversation } from "./RenameConversation";

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
  const { mode, setMode, openRef, keepFocusElsewhere } = useItemMode();
  const { id, title } = conversation;
  const rename = (next: string): void => {
    onRename(id, next);
    setMode("view");
  };

  if (mode === "rename") {
    return (
      <RenameConversation
        title={title}
        onSave={rename}
        onCancel={() => setMode("view")}
        onLeave={(next) => {
          keepFocusElsewhere();
          rename(next);
        }}
      />
    );
  }
  if (mode === "confirm") {
    return <ConfirmDelete title={title} onDelete={() => onDelete(id)} onCancel={() => setMode("view")} />;
  }
  return (
    <ConversationEntry
      title={title}
      active={active}
      openRef={openRef}
      onOpen={() => onSelect(id)}
      onRename={() => setMode("rename")}
      onDelete={() => setMode("confirm")}
    />
  );
});

/** The item's mode; keyboard focus returns to the item when rename or confirm ends. */
function useItemMode() {
  const [mode, setMode] = useState<Mode>("view");
  const openRef = useRef<HTMLButtonElement>(null);
  const previous = useRef<Mode>("view");
  // Focus returns to the item after keyboard-driven changes, but not when the user clicked elsewhere.
  const restoreFocus = useRef(true);
  useEffect(() => {
    if (mode === "view" && previous.current !== "view" && restoreFocus.current) openRef.current?.focus();
    restoreFocus.current = true;
    previous.current = mode;
  }, [mode]);
  const keepFocusElsewhere = (): void => {
    restoreFocus.current = false;
  };
  return { mode, setMode, openRef, keepFocusElsewhere };
}

interface EntryProps {
  title: string;
  active: boolean;
  openRef: RefObject<HTMLButtonElement>;
  onOpen: () => void;
  onRename: () => void;
  onDelete: () => void;
}

function ConversationEntry({ title, active, openRef, onOpen, onRename, onDelete }: EntryProps) {
  return (
    <li className={active ? "conversation active" : "conversation"}>
      <button
        ref={openRef}
        type="button"
        className="conversation-open"
        aria-current={active ? "page" : undefined}
        onClick={onOpen}
      >
        {title}
      </button>
      <span className="conversation-actions">
        <button
          type="button"
          className="ghost icon"
          aria-label={`Rename “${title}”`}
          title="Rename"
          onClick={onRename}
        >
          <PencilIcon />
        </button>
        <button
          type="button"
          className="ghost icon"
          aria-label={`Delete “${title}”`}
          title="Delete"
          onClick={onDelete}
        >
          <TrashIcon />
        </button>
      </span>
    </li>
  );
}
