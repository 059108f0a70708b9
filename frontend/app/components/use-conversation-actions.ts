import { useCallback, type Dispatch, type RefObject } from "react";
import type { ConversationsAction } from "../chat/conversations";
import type { ComposerHandle } from "./Composer";
import type { SidebarHandle } from "./Sidebar";

interface Options {
  dispatch: Dispatch<ConversationsAction>;
  activeId: string | null;
  /** Stops the streaming reply. */
  stop: () => void;
  announce: (message: string) => void;
  hideDrawer: () => void;
  composer: RefObject<ComposerHandle>;
  sidebar: RefObject<SidebarHandle>;
}

/** What the history offers: open (or start) a conversation, rename one, delete one; each puts focus somewhere sensible. */
export function useConversationActions({
  dispatch,
  activeId,
  stop,
  announce,
  hideDrawer,
  composer,
  sidebar,
}: Options) {
  const select = useCallback(
    (id: string | null) => {
      stop();
      dispatch({ type: "select", id });
      hideDrawer();
      requestAnimationFrame(() => composer.current?.focus());
    },
    [dispatch, stop, hideDrawer, composer],
  );
  const rename = useCallback(
    (id: string, title: string) => dispatch({ type: "rename", id, title }),
    [dispatch],
  );
  const remove = useCallback(
    (id: string) => {
      if (id === activeId) stop();
      dispatch({ type: "remove", id });
      sidebar.current?.focusNewChat();
      announce("Conversation deleted.");
    },
    [dispatch, stop, activeId, announce, sidebar],
  );
  return { select, rename, remove };
}
