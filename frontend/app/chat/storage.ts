import type { ChatMessage, Conversation } from "./types";

/** Versioned key: a future format change can migrate instead of misreading old data. */
export const CONVERSATIONS_KEY = "fargate-ai-stack.conversations.v1";

/**
 * Each account keeps its own conversations: two people signing in on one browser profile do not see each
 * other's history.
 */
export function conversationsKeyFor(email: string): string {
  return `${CONVERSATIONS_KEY}:${email.trim().toLowerCase()}`;
}
/** The open conversation is per tab (sessionStorage): it survives a reload without tabs fighting over it. */
const ACTIVE_KEY = "fargate-ai-stack.active-conversation";
const MODEL_KEY = "fargate-ai-stack.model";

/** Reads conversations kept in this browser, dropping anything malformed rather than failing to start. */
export function loadConversations(
  storage: Storage | undefined = globalThis.localStorage,
  key: string = CONVERSATIONS_KEY,
): Conversation[] {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return [];
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? parsed.filter(isConversation) : [];
  } catch {
    return [];
  }
}

/** Returns false when the browser refused to store (quota exceeded, storage disabled). */
export function saveConversations(
  conversations: Conversation[],
  storage: Storage | undefined = globalThis.localStorage,
  key: string = CONVERSATIONS_KEY,
): boolean {
  try {
    storage?.setItem(key, JSON.stringify(conversations));
    return true;
  } catch {
    return false;
  }
}

export const loadActiveId = (): string | null => read(() => globalThis.sessionStorage, ACTIVE_KEY);
export const saveActiveId = (id: string | null): void =>
  write(() => globalThis.sessionStorage, ACTIVE_KEY, id);
export const loadModel = (): string | null => read(() => globalThis.localStorage, MODEL_KEY);
export const saveModel = (model: string): void => write(() => globalThis.localStorage, MODEL_KEY, model);

// Preferences are conveniences: storage failures (private mode, disabled storage) are ignored.
function read(storage: () => Storage | undefined, key: string): string | null {
  try {
    return storage()?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(storage: () => Storage | undefined, key: string, value: string | null): void {
  try {
    if (value === null) storage()?.removeItem(key);
    else storage()?.setItem(key, value);
  } catch {
    // ignored, see above
  }
}

function isConversation(value: unknown): value is Conversation {
  const c = value as Conversation;
  return (
    typeof c === "object" &&
    c !== null &&
    typeof c.id === "string" &&
    typeof c.title === "string" &&
    typeof c.createdAt === "number" &&
    typeof c.updatedAt === "number" &&
    Array.isArray(c.messages) &&
    c.messages.every(isMessage)
  );
}

function isMessage(value: unknown): value is ChatMessage {
  const m = value as ChatMessage;
  return (
    typeof m === "object" &&
    m !== null &&
    typeof m.id === "string" &&
    (m.role === "user" || m.role === "assistant") &&
    typeof m.content === "string"
  );
}
