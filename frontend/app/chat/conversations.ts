import type { ChatMessage, Conversation } from "./types";

export interface ConversationsState {
  conversations: Conversation[];
  /** null = a new, not yet started conversation (it is created when the first message is sent). */
  activeId: string | null;
}

export type ConversationsAction =
  | { type: "load"; conversations: Conversation[]; activeId: string | null }
  | { type: "replaceAll"; conversations: Conversation[] }
  | { type: "select"; id: string | null }
  | { type: "create"; conversation: Conversation }
  | { type: "rename"; id: string; title: string }
  | { type: "remove"; id: string }
  | { type: "setMessages"; id: string; messages: ChatMessage[]; now: number };

const TITLE_LENGTH = 48;

/** A readable title from the first message: one line, trimmed, cut at a word boundary. */
export function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= TITLE_LENGTH) return line || "New chat";
  const cut = line.slice(0, TITLE_LENGTH);
  const space = cut.lastIndexOf(" ");
  return `${(space > 20 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function conversationsReducer(
  state: ConversationsState,
  action: ConversationsAction,
): ConversationsState {
  switch (action.type) {
    case "load":
      return { conversations: action.conversations, activeId: action.activeId };
    case "replaceAll":
      return {
        conversations: action.conversations,
        activeId: action.conversations.some((c) => c.id === state.activeId) ? state.activeId : null,
      };
    case "select":
      return { ...state, activeId: action.id };
    case "create":
      return {
        conversations: [action.conversation, ...state.conversations],
        activeId: action.conversation.id,
      };
    case "rename": {
      const title = action.title.replace(/\s+/g, " ").trim();
      if (!title) return state;
      return update(state, action.id, (c) => ({ ...c, title, titleEdited: true }));
    }
    case "remove":
      return {
        conversations: state.conversations.filter((c) => c.id !== action.id),
        activeId: state.activeId === action.id ? null : state.activeId,
      };
    case "setMessages":
      return update(state, action.id, (c) => {
        const first = action.messages.find((m) => m.role === "user");
        return {
          ...c,
          messages: action.messages,
          updatedAt: action.now,
          title: c.titleEdited || !first ? c.title : titleFrom(first.content),
        };
      });
  }
}

function update(
  state: ConversationsState,
  id: string,
  fn: (conversation: Conversation) => Conversation,
): ConversationsState {
  return { ...state, conversations: state.conversations.map((c) => (c.id === id ? fn(c) : c)) };
}

/** Most recently used first, the order people expect in a chat history. */
export function sortByRecent(conversations: Conversation[]): Conversation[] {
  return [...conversations].sort((a, b) => b.updatedAt - a.updatedAt);
}
