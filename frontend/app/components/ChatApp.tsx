import { useCallback, useEffect, useRef, useState } from "react";
import { describeError } from "../chat/describe-error";
import { useChat } from "../chat/use-chat";
import { useConversations } from "../chat/use-conversations";
import { useModels } from "../chat/use-models";
import { Banner } from "./Banner";
import { ChatHeader } from "./ChatHeader";
import { Composer, type ComposerHandle } from "./Composer";
import { MessageList } from "./MessageList";
import { ModelPicker } from "./ModelPicker";
import { Sidebar, type SidebarHandle } from "./Sidebar";
import { useAnnouncer } from "./use-announcer";

/** The whole chat screen: history, header with model picker, failure banners, messages and composer. */
export function ChatApp() {
  const store = useConversations();
  const models = useModels();
  const { message: announcement, announce } = useAnnouncer();
  // A reply that worked proves the backend is back: refresh a model list that failed to load.
  const modelsFailed = models.state.status === "error";
  const { reload: reloadModels } = models;
  const onReplyComplete = useCallback(() => {
    if (modelsFailed) void reloadModels();
  }, [modelsFailed, reloadModels]);
  const chat = useChat({
    conversations: store.conversations,
    active: store.active,
    dispatch: store.dispatch,
    model: models.selected,
    announce,
    onReplyComplete,
  });
  const [drawerOpen, setDrawerOpen] = useState(false);
  const composer = useRef<ComposerHandle>(null);
  const sidebar = useRef<SidebarHandle>(null);
  const menuButtonFocus = useRef(false);
  const { dispatch } = store;
  const { stop, streaming } = chat;

  // Esc stops a streaming reply from anywhere, unless a control used Esc for itself (rename, edit, drawer).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === "Escape" && streaming && !event.defaultPrevented) {
        event.preventDefault();
        stop();
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [streaming, stop]);

  // Type straight away on devices with a keyboard; on phones, don't pop up the on-screen keyboard.
  useEffect(() => {
    if (store.loaded && window.matchMedia("(pointer: fine)").matches) composer.current?.focus();
  }, [store.loaded]);

  const openDrawer = useCallback(() => {
    setDrawerOpen(true);
    requestAnimationFrame(() => sidebar.current?.focusNewChat());
  }, []);
  const closeDrawer = useCallback(() => {
    setDrawerOpen(false);
    menuButtonFocus.current = true;
  }, []);
  useEffect(() => {
    if (!drawerOpen && menuButtonFocus.current) {
      menuButtonFocus.current = false;
      document.querySelector<HTMLButtonElement>(".menu-button")?.focus();
    }
  }, [drawerOpen]);

  const selectConversation = useCallback(
    (id: string | null) => {
      stop();
      dispatch({ type: "select", id });
      setDrawerOpen(false);
      requestAnimationFrame(() => composer.current?.focus());
    },
    [dispatch, stop],
  );
  const renameConversation = useCallback(
    (id: string, title: string) => dispatch({ type: "rename", id, title }),
    [dispatch],
  );
  const deleteConversation = useCallback(
    (id: string) => {
      if (id === store.activeId) stop();
      dispatch({ type: "remove", id });
      sidebar.current?.focusNewChat();
      announce("Conversation deleted.");
    },
    [dispatch, stop, store.activeId, announce],
  );

  const activeId = store.activeId;
  const regenerate = useCallback(() => {
    if (activeId) chat.regenerate(activeId);
    composer.current?.focus();
  }, [activeId, chat]);
  const editLast = useCallback(
    (text: string) => {
      if (activeId) chat.editLast(activeId, text);
      composer.current?.focus();
    },
    [activeId, chat],
  );

  const failure = chat.failure && chat.failure.conversationId === activeId ? chat.failure : null;
  let banner = null;
  if (failure) {
    banner = (
      <Banner
        description={describeError(failure.error)}
        requestId={failure.error.details.requestId}
        onRetry={() => chat.regenerate(failure.conversationId)}
        onDismiss={chat.dismissFailure}
      />
    );
  } else if (models.state.error) {
    banner = (
      <Banner
        description={describeError(models.state.error)}
        requestId={models.state.error.details.requestId}
        retrying={models.state.status === "loading"}
        onRetry={() => void models.reload()}
        onDismiss={models.dismissError}
      />
    );
  } else if (store.saveFailed) {
    banner = (
      <Banner
        description={{
          tone: "warning",
          title: "Couldn't save this conversation",
          detail: "The browser's storage is full or disabled. Delete old conversations to free space.",
        }}
        onRetry={store.dismissSaveError}
        onDismiss={store.dismissSaveError}
      />
    );
  }

  const reply = chat.reply && chat.reply.conversationId === activeId ? chat.reply : null;
  return (
    <div className="app" data-ready={store.loaded ? "true" : undefined}>
      <a className="skip-link" href="#composer-input">
        Skip to message box
      </a>
      <Sidebar
        ref={sidebar}
        conversations={store.conversations}
        activeId={activeId}
        open={drawerOpen}
        onClose={closeDrawer}
        onNewChat={() => selectConversation(null)}
        onSelect={selectConversation}
        onRename={renameConversation}
        onDelete={deleteConversation}
      />
      {drawerOpen ? <div className="backdrop" onClick={closeDrawer} aria-hidden="true" /> : null}
      <main className="chat">
        <ChatHeader
          title={store.active?.title ?? "New chat"}
          drawerOpen={drawerOpen}
          onOpenDrawer={openDrawer}
        >
          <ModelPicker
            state={models.state}
            selected={models.selected}
            onChange={models.choose}
            disabled={streaming}
          />
        </ChatHeader>
        <div className="banners">{banner}</div>
        <MessageList
          conversation={store.active}
          reply={reply}
          streaming={streaming}
          ready={store.loaded}
          onSuggestion={chat.send}
          onRegenerate={regenerate}
          onEditLast={editLast}
        />
        <Composer ref={composer} streaming={streaming} onSend={chat.send} onStop={stop} />
      </main>
      <div className="sr-only" role="status" aria-live="polite" data-testid="announcer">
        {announcement}
      </div>
    </div>
  );
}
