import { useCallback } from "react";
import type { ReplyOutcome } from "../chat/stream-reply";
import { useBudget } from "../chat/use-budget";
import { useChat } from "../chat/use-chat";
import { useConversations } from "../chat/use-conversations";
import { useModels } from "../chat/use-models";
import { useAnnouncer } from "./use-announcer";

/**
 * The state behind the chat screen: stored conversations, the model list, the reply, today's budget and the
 * announcer.
 */
export function useChatSession(email: string) {
  const store = useConversations(email);
  const models = useModels();
  const budget = useBudget();
  const { message: announcement, announce } = useAnnouncer();
  // A reply that worked proves the backend is back: refresh a model list that failed to load.
  const modelsFailed = models.state.status === "error";
  const { reload: reloadModels } = models;
  const onReplyComplete = useCallback(() => {
    if (modelsFailed) void reloadModels();
  }, [modelsFailed, reloadModels]);
  const { update: updateBudget } = budget;
  const onOutcome = useCallback(
    (outcome: ReplyOutcome) => {
      if (outcome.status === "done") updateBudget({ type: "reply", budget: outcome.budget });
      if (outcome.status !== "error") return;
      const { code, details } = outcome.error;
      if (code === "budget_exceeded" || code === "spend_cap_reached") {
        updateBudget({
          type: "refused",
          code,
          retryAfterSeconds: details.retryAfterSeconds,
          now: Date.now(),
        });
      }
    },
    [updateBudget],
  );
  const chat = useChat({
    conversations: store.conversations,
    active: store.active,
    dispatch: store.dispatch,
    model: models.selected,
    announce,
    onReplyComplete,
    onOutcome,
  });
  return { store, models, chat, budget: budget.budget, announcement, announce };
}

export type ChatSession = ReturnType<typeof useChatSession>;
