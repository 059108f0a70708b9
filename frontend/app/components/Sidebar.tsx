import { forwardRef, useImperativeHandle, useMemo, useRef, type KeyboardEvent } from "react";
import { sortByRecent } from "../chat/conversations";
import type { Conversation } from "../chat/types";
import { ConversationItem } from "./ConversationItem";
import { CloseIcon, PlusIcon } from "./icons";

export interface SidebarHandle {
  focusNewChat: () => void;
}

interface Props {
  conversations: Conversation[];
  activeId: string | null;
  /** Small screens: whether the drawer is open. Ignored on wide screens, where the list is always shown. */
  open: boolean;
  onClose: () => void;
  onNewChat: () => void;
  onSelect: (id: string) => void;
  onRename: (id: string, title: string) => void;
  onDelete: (id: string) => void;
}

/** Conversation history: a column on wide screens, a drawer on phones. */
export const Sidebar = forwardRef<SidebarHandle, Props>(function Sidebar(
  { conversations, activeId, open, onClose, onNewChat, onSelect, onRename, onDelete },
  handle,
) {
  const newChatRef = useRef<HTMLButtonElement>(null);
  useImperativeHandle(handle, () => ({ focusNewChat: () => newChatRef.current?.focus() }), []);
  const sorted = useMemo(() => sortByRecent(conversations), [conversations]);

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === "Escape" && open && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
    }
  };

  return (
    <nav id="sidebar" className="sidebar" data-open={open} aria-label="Conversations" onKeyDown={onKeyDown}>
      <div className="sidebar-top">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true" />
          fargate-ai-stack
        </span>
        <button
          type="button"
          className="ghost icon drawer-close"
          onClick={onClose}
          aria-label="Close conversations"
        >
          <CloseIcon />
        </button>
      </div>
      <button ref={newChatRef} type="button" className="new-chat" onClick={onNewChat}>
        <PlusIcon />
        New chat
      </button>
      <h2 className="sidebar-heading" id="history-heading">
        History
      </h2>
      {sorted.length === 0 ? (
        <p className="sidebar-empty">Your conversations will appear here.</p>
      ) : (
        <ul className="conversation-list" aria-labelledby="history-heading">
          {sorted.map((conversation) => (
            <ConversationItem
              key={conversation.id}
              conversation={conversation}
              active={conversation.id === activeId}
              onSelect={onSelect}
              onRename={onRename}
              onDelete={onDelete}
            />
          ))}
        </ul>
      )}
      <p className="sidebar-foot">Stored in this browser only.</p>
    </nav>
  );
});
