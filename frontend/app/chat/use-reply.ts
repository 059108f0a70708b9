import { useCallback, useEffect, useRef, useState, type Dispatch } from "react";
import { useLatest } from "../components/use-latest";
import type { ChatError } from "./api";
import type { ConversationsAction } from "./conversations";
import { assistantMessage } from "./history";
import { streamReply, type ReplyOutcome } from "./stream-reply";
import type { ChatMessage } from "./types";

/** The reply being streamed; it joins the conversation (and storage) once it ends. */
export interface StreamingReply {
  conversationId: string;
  text: string;
  model?: string;
}

export interface ChatFailure {
  conversationId: string;
  error: ChatError;
}

interface Options {
  dispatch: Dispatch<ConversationsAction>;
  model: string | undefined;
  announce: (message: string) => void;
  onReplyComplete?: () => void;
  /** Every reply's ending, for what follows from it (the budget). */
  onOutcome?: (outcome: ReplyOutcome) => void;
}

/** Streams one reply at a time into a conversation, keeps what arrived when it ends, and reports how it ended. */
export function useReply({ dispatch, model, announce, onReplyComplete, onOutcome }: Options) {
  const [reply, setReply] = useState<StreamingReply | null>(null);
  const [failure, setFailure] = useState<ChatFailure | null>(null);
  const controllerRef = useRef<AbortController | null>(null);
  const latest = useLatest({ model, announce, onReplyComplete, onOutcome });

  useEffect(() => () => controllerRef.current?.abort(), []);

  const run = useCallback(
    async (conversationId: string, history: ChatMessage[]) => {
      const controller = new AbortController();
      controllerRef.current = controller;
      const replyModel = latest.current.model;
      setFailure(null);
      setReply({ conversationId, text: "", model: replyModel });
      dispatch({ type: "setMessages", id: conversationId, messages: history, now: Date.now() });
      const outcome = await streamReply(history, replyModel, controller.signal, (text, model) =>
        setReply((r) => (r && r.conversationId === conversationId ? { ...r, text, model } : r)),
      );
      if (outcome.text) {
        const message = assistantMessage(outcome.text, outcome.model, outcome.status);
        dispatch({
          type: "setMessages",
          id: conversationId,
          messages: [...history, message],
          now: Date.now(),
        });
      }
      latest.current.onOutcome?.(outcome);
      if (outcome.status === "error") {
        setFailure({ conversationId, error: outcome.error });
      } else if (outcome.status === "done") {
        latest.current.announce("Reply complete.");
        latest.current.onReplyComplete?.();
      } else {
        latest.current.announce("Reply stopped.");
      }
      if (controllerRef.current === controller) controllerRef.current = null;
      setReply(null);
    },
    [dispatch, latest],
  );

  /** True while a reply streams: new requests wait until it ends or is stopped. */
  const busy = useCallback(() => controllerRef.current !== null, []);
  const stop = useCallback(() => controllerRef.current?.abort(), []);
  const dismissFailure = useCallback(() => setFailure(null), []);

  return { reply, failure, run, busy, stop, dismissFailure };
}
