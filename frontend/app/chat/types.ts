export type Role = "user" | "assistant";

/** How an assistant reply ended; user messages have no status. */
export type ReplyStatus = "done" | "stopped" | "error";

export interface ChatMessage {
  id: string;
  role: Role;
  content: string;
  /** Model that wrote an assistant reply. */
  model?: string;
  status?: ReplyStatus;
  createdAt: number;
}

export interface Conversation {
  id: string;
  title: string;
  /** True once the user renamed it; automatic titles stop following the first message. */
  titleEdited: boolean;
  createdAt: number;
  updatedAt: number;
  messages: ChatMessage[];
}

/** What the proxy and the backend answer on /api/models. */
export interface ModelList {
  models: string[];
  default: string;
}
