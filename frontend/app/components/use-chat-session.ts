import { useCallback } from "react";
import { useChat } from "../chat/use-chat";
import { useConversations } from "../chat/use-conversations";
import { useModels } from "../chat/use-models";
import { useAnnouncer } from "./use-announcer";

/** The state behind the chat screen: stored conversations, the model list, the reply and the announcer. */
export function useChatSession() {
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
  return { store, models, chat, announcement, announce };
}

export type ChatSession = ReturnType<typeof useChatSession>;
