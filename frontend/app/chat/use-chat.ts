import { useCallback, type Dispatch } from "react";
import { useLatest } from "../components/use-latest";
import { titleFrom, type ConversationsAction } from "./conversations";
import { historyToRegenerate, historyWithLastEdited, startConversation, userMessage } from "./history";
import type { Conversation } from "./types";
import type { ReplyOutcome } from "./stream-reply";
import { useReply } from "./use-reply";

export type { ChatFailure, StreamingReply } from "./use-reply";

interface Options {
  conversations: Conversation[];
  active: Conversation | null;
  dispatch: Dispatch<ConversationsAction>;
  model: string | undefined;
  announce: (message: string) => void;
  onReplyComplete?: () => void;
  onOutcome?: (outcome: ReplyOutcome) => void;
}

/** Sending, streaming, Stop, Regenerate and edit-and-resend. One reply streams at a time. */
export function useChat({
  conversations,
  active,
  dispatch,
  model,
  announce,
  onReplyComplete,
  onOutcome,
}: Options) {
  const { reply, failure, run, busy, stop, dismissFailure } = useReply({
    dispatch,
    model,
    announce,
    onReplyComplete,
    onOutcome,
  });
  const latest = useLatest({ conversations, active });

  const send = useCallback(
    (text: string): boolean => {
      const content = text.trim();
      if (!content || busy()) return false;
      const now = Date.now();
      let conversation = latest.current.active;
      if (!conversation) {
        conversation = startConversation(titleFrom(content), now);
        dispatch({ type: "create", conversation });
      }
      void run(conversation.id, [...conversation.messages, userMessage(content, now)]);
      return true;
    },
    [busy, dispatch, latest, run],
  );

  /** Asks again for the last reply (or for a first reply when the previous attempt failed). */
  const regenerate = useCallback(
    (conversationId: string) => {
      if (busy()) return;
      const conversation = latest.current.conversations.find((c) => c.id === conversationId);
      if (!conversation) return;
      const history = historyToRegenerate(conversation);
      if (history.length > 0) void run(conversationId, history);
    },
    [busy, latest, run],
  );

  /** Replaces the last user message and asks for a new reply to it. */
  const editLast = useCallback(
    (conversationId: string, text: string) => {
      const content = text.trim();
      if (!content || busy()) return;
      const conversation = latest.current.conversations.find((c) => c.id === conversationId);
      const history = conversation && historyWithLastEdited(conversation, content);
      if (history) void run(conversationId, history);
    },
    [busy, latest, run],
  );

  return { reply, failure, streaming: reply !== null, send, regenerate, editLast, stop, dismissFailure };
}
