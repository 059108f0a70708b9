import { newId } from "./ids";
import type { ChatMessage, Conversation, ReplyStatus } from "./types";

/** A conversation that starts with the first message, titled after it. */
export function startConversation(title: string, now: number): Conversation {
  return { id: newId(), title, titleEdited: false, createdAt: now, updatedAt: now, messages: [] };
}

export function userMessage(content: string, now: number): ChatMessage {
  return { id: newId(), role: "user", content, createdAt: now };
}

export function assistantMessage(
  content: string,
  model: string | undefined,
  status: ReplyStatus,
): ChatMessage {
  return { id: newId(), role: "assistant", content, model, status, createdAt: Date.now() };
}

/** The history to ask again with: everything up to the last user message (trailing replies dropped). */
export function historyToRegenerate(conversation: Conversation): ChatMessage[] {
  const history = [...conversation.messages];
  while (history.at(-1)?.role === "assistant") history.pop();
  return history;
}

/** The history with the last user message's text replaced and what followed it dropped; null without one. */
export function historyWithLastEdited(conversation: Conversation, content: string): ChatMessage[] | null {
  const index = conversation.messages.findLastIndex((m) => m.role === "user");
  const last = conversation.messages[index];
  if (!last) return null;
  return [...conversation.messages.slice(0, index), { ...last, content }];
}
