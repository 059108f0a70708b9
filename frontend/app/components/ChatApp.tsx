import { useEffect, useRef } from "react";
import { ChatMain } from "./ChatMain";
import type { ComposerHandle } from "./Composer";
import { Sidebar, type SidebarHandle } from "./Sidebar";
import { useChatSession } from "./use-chat-session";
import { useConversationActions } from "./use-conversation-actions";
import { useDrawer } from "./use-drawer";
import { useEscapeToStop } from "./use-escape-to-stop";

/**
 * The whole chat screen for the signed-in `email`: the history (a drawer on phones), the open conversation
 * and the status announcer.
 */
export function ChatApp({ email }: { email: string }) {
  const session = useChatSession(email);
  const { store, chat, announcement, announce } = session;
  const composer = useRef<ComposerHandle>(null);
  const sidebar = useRef<SidebarHandle>(null);
  const { dispatch, activeId } = store;
  const { stop } = chat;
  useEscapeToStop(chat.streaming, stop);

  // Type straight away on devices with a keyboard; on phones, don't pop up the on-screen keyboard.
  useEffect(() => {
    if (store.loaded && window.matchMedia("(pointer: fine)").matches) composer.current?.focus();
  }, [store.loaded]);

  const drawer = useDrawer(sidebar);
  const { hideDrawer } = drawer;
  const conversation = useConversationActions({
    dispatch,
    activeId,
    stop,
    announce,
    hideDrawer,
    composer,
    sidebar,
  });

  return (
    <div className="app" data-ready={store.loaded ? "true" : undefined}>
      <a className="skip-link" href="#composer-input">
        Skip to message box
      </a>
      <Sidebar
        ref={sidebar}
        conversations={store.conversations}
        activeId={activeId}
        open={drawer.open}
        onClose={drawer.closeDrawer}
        onNewChat={() => conversation.select(null)}
        onSelect={conversation.select}
        onRename={conversation.rename}
        onDelete={conversation.remove}
      />
      {drawer.open ? <div className="backdrop" onClick={drawer.closeDrawer} aria-hidden="true" /> : null}
      <ChatMain
        session={session}
        email={email}
        composer={composer}
        drawerOpen={drawer.open}
        onOpenDrawer={drawer.openDrawer}
      />
      <div className="sr-only" role="status" aria-live="polite" data-testid="announcer">
        {announcement}
      </div>
    </div>
  );
}
