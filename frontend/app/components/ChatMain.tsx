import { useCallback, type RefObject } from "react";
import { budgetNote } from "../chat/budget";
import { Account } from "./Account";
import { ChatBanner } from "./ChatBanner";
import { ChatHeader } from "./ChatHeader";
import { Composer, type ComposerHandle } from "./Composer";
import { MessageList } from "./MessageList";
import { ModelPicker } from "./ModelPicker";
import type { ChatSession } from "./use-chat-session";

interface Props {
  session: Pick<ChatSession, "store" | "models" | "chat" | "budget">;
  /** The signed-in person. */
  email: string;
  composer: RefObject<ComposerHandle>;
  drawerOpen: boolean;
  onOpenDrawer: () => void;
}

/** The open conversation: header with model picker and account, banners, messages and composer. */
export function ChatMain({
  session: { store, models, chat, budget },
  email,
  composer,
  drawerOpen,
  onOpenDrawer,
}: Props) {
  const { activeId } = store;
  const { streaming } = chat;
  const regenerate = useCallback(() => {
    if (activeId) chat.regenerate(activeId);
    composer.current?.focus();
  }, [activeId, chat, composer]);
  const editLast = useCallback(
    (text: string) => {
      if (activeId) chat.editLast(activeId, text);
      composer.current?.focus();
    },
    [activeId, chat, composer],
  );

  // A reply or failure belongs to the conversation it was asked in; other conversations don't show it.
  const failure = chat.failure && chat.failure.conversationId === activeId ? chat.failure : null;
  const reply = chat.reply && chat.reply.conversationId === activeId ? chat.reply : null;
  return (
    <main className="chat">
      <ChatHeader
        title={store.active?.title ?? "New chat"}
        drawerOpen={drawerOpen}
        onOpenDrawer={onOpenDrawer}
      >
        <ModelPicker
          state={models.state}
          selected={models.selected}
          onChange={models.choose}
          disabled={streaming}
        />
        <Account email={email} />
      </ChatHeader>
      <div className="banners">
        <ChatBanner
          budget={budget}
          failure={failure}
          onRetryReply={chat.regenerate}
          onDismissFailure={chat.dismissFailure}
          models={models.state}
          onReloadModels={() => void models.reload()}
          onDismissModelsError={models.dismissError}
          saveFailed={store.saveFailed}
          onDismissSaveError={store.dismissSaveError}
        />
      </div>
      <MessageList
        conversation={store.active}
        reply={reply}
        streaming={streaming}
        ready={store.loaded}
        onSuggestion={chat.send}
        onRegenerate={regenerate}
        onEditLast={editLast}
      />
      <Composer
        ref={composer}
        streaming={streaming}
        disabled={budget.blocked !== undefined}
        note={budgetNote(budget)}
        onSend={chat.send}
        onStop={chat.stop}
      />
    </main>
  );
}
