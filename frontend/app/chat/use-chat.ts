import { useCallback, useEffect, useRef, useState, type Dispatch } from "react";
import { useIsomorphicLayoutEffect } from "../components/use-isomorphic-layout-effect";
import { ChatError, streamChat } from "./api";
import { titleFrom, type ConversationsAction } from "./conversations";
import { newId } from "./ids";
import type { ChatMessage, Conversation, ReplyStatus } from "./types";

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
  conversations: Conversation[];
  active: Conversation | null;
  dispatch: Dispatch<ConversationsAction>;
  model: string | undefined;
  announce: (message: string) => void;
  onReplyComplete?: () => void;
}

/** Sending, streaming, Stop, Regenerate and edit-and-resend. One reply streams at a time. */
export function useChat({ conversations, active, dispatch, model, announce, onReplyComplete }: Options) {
  const [reply, setReply] = useState<StreamingReply | null>(null);
  const [failure, setFailure] = useState<ChatFailure | null>(null);
  const controllerRef = useRef<AbortController | null>(null);
  // Callbacks read the latest values through refs so they stay stable for memoised children.
  const latest = useRef({ conversations, active, model, announce, onReplyComplete });
  useIsomorphicLayoutEffect(() => {
    latest.current = { conversations, active, model, announce, onReplyComplete };
  });

  useEffect(() => () => controllerRef.current?.abort(), []);

  const run = useCallback(
    async (conversationId: string, history: ChatMessage[]) => {
      const controller = new AbortController();
      controllerRef.current = controller;
      let text = "";
      let replyModel = latest.current.model;
      let frame = 0;
      // Batch tokens into one render per frame: smooth on slow phones, even at hundreds of tokens a second.
      const flush = (): void => {
        frame = 0;
        setReply((r) => (r && r.conversationId === conversationId ? { ...r, text, model: replyModel } : r));
      };
      const finish = (status: ReplyStatus): void => {
        if (!text) return;
        const message: ChatMessage = {
          id: newId(),
          role: "assistant",
          content: text,
          model: replyModel,
          status,
          createdAt: Date.now(),
        };
        dispatch({
          type: "setMessages",
          id: conversationId,
          messages: [...history, message],
          now: Date.now(),
        });
      };

      setFailure(null);
      setReply({ conversationId, text: "", model: replyModel });
      dispatch({ type: "setMessages", id: conversationId, messages: history, now: Date.now() });
      try {
        await streamChat(
          {
            messages: history.filter((m) => m.content.trim()).map(({ role, content }) => ({ role, content })),
            ...(replyModel ? { model: replyModel } : {}),
          },
          {
            signal: controller.signal,
            onMeta: (meta) => {
              if (meta.model) replyModel = meta.model;
            },
            onDelta: (delta) => {
              text += delta;
              frame ||= requestAnimationFrame(flush);
            },
          },
        );
        finish("done");
        latest.current.announce("Reply complete.");
        latest.current.onReplyComplete?.();
      } catch (err) {
        if (controller.signal.aborted) {
          finish("stopped");
          latest.current.announce("Reply stopped.");
        } else {
          finish("error");
          const error = err instanceof ChatError ? err : new ChatError("unknown", String(err));
          setFailure({ conversationId, error });
        }
      } finally {
        cancelAnimationFrame(frame);
        if (controllerRef.current === controller) controllerRef.current = null;
        setReply(null);
      }
    },
    [dispatch],
  );

  const send = useCallback(
    (text: string): boolean => {
      const content = text.trim();
      if (!content || controllerRef.current) return false;
      const now = Date.now();
      let conversation = latest.current.active;
      if (!conversation) {
        conversation = {
          id: newId(),
          title: titleFrom(content),
          titleEdited: false,
          createdAt: now,
          updatedAt: now,
          messages: [],
        };
        dispatch({ type: "create", conversation });
      }
      const message: ChatMessage = { id: newId(), role: "user", content, createdAt: now };
      void run(conversation.id, [...conversation.messages, message]);
      return true;
    },
    [dispatch, run],
  );

  /** Asks again for the last reply (or for a first reply when the previous attempt failed). */
  const regenerate = useCallback(
    (conversationId: string) => {
      if (controllerRef.current) return;
      const conversation = latest.current.conversations.find((c) => c.id === conversationId);
      if (!conversation) return;
      const history = [...conversation.messages];
      while (history.at(-1)?.role === "assistant") history.pop();
      if (history.length > 0) void run(conversationId, history);
    },
    [run],
  );

  /** Replaces the last user message and asks for a new reply to it. */
  const editLast = useCallback(
    (conversationId: string, text: string) => {
      const content = text.trim();
      if (!content || controllerRef.current) return;
      const conversation = latest.current.conversations.find((c) => c.id === conversationId);
      if (!conversation) return;
      const index = conversation.messages.findLastIndex((m) => m.role === "user");
      const last = conversation.messages[index];
      if (!last) return;
      void run(conversationId, [...conversation.messages.slice(0, index), { ...last, content }]);
    },
    [run],
  );

  const stop = useCallback(() => controllerRef.current?.abort(), []);
  const dismissFailure = useCallback(() => setFailure(null), []);

  return { reply, failure, streaming: reply !== null, send, regenerate, editLast, stop, dismissFailure };
}
