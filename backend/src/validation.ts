// The shape of POST /api/chat and its bounds. Every rejection names the field and says why,
// so a client developer can fix the request from the message alone.

import { z } from "zod";
import { AppError } from "./errors.js";
import type { ChatMessage } from "./openai.js";

export const LIMITS = {
  /** Largest request body; above it the answer is 413 before anything is parsed. */
  bodyBytes: 1024 * 1024,
  maxMessages: 100,
  /** Per message and in total, in UTF-16 code units (what String#length counts). */
  maxMessageChars: 32_000,
  maxTotalChars: 128_000,
} as const;

export const ROLES = ["system", "user", "assistant"] as const;

export interface ChatRequest {
  messages: ChatMessage[];
  model: string | undefined;
}

// With the u flag a valid surrogate pair is one code point, so this only finds lone halves,
// which are not valid Unicode and which upstream APIs reject or mangle.
const LONE_SURROGATE = /\p{Cs}/u;

function typeError(expected: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : `must be ${expected}`);
}

const content = z
  .string({ error: typeError("a string") })
  .min(1, "must not be empty")
  .max(LIMITS.maxMessageChars, `must be at most ${LIMITS.maxMessageChars} characters`)
  .refine((s) => s.trim() !== "", "must not be only whitespace")
  .refine((s) => !s.includes("\u0000"), "must not contain NUL characters")
  .refine((s) => !LONE_SURROGATE.test(s), "contains invalid Unicode (an unpaired surrogate)");

const message = z.strictObject(
  {
    role: z.enum(ROLES, { error: typeError(`one of ${ROLES.join(", ")}`) }),
    content,
  },
  { error: typeError("an object with role and content") },
);

export function chatRequestSchema(models: readonly string[]) {
  return z.strictObject(
    {
      messages: z
        .array(message, { error: typeError("an array of messages") })
        .min(1, "must contain at least one message")
        .max(LIMITS.maxMessages, `must contain at most ${LIMITS.maxMessages} messages`)
        .refine(
          (ms) => ms.reduce((n, m) => n + m.content.length, 0) <= LIMITS.maxTotalChars,
          `must be at most ${LIMITS.maxTotalChars} characters in total`,
        ),
      model: z
        .string({ error: typeError("a string") })
        .refine((m) => models.includes(m), `must be one of ${models.join(", ")}`)
        .optional(),
    },
    { error: typeError("a JSON object") },
  );
}

/** messages[0].content, or "body" for the top level. */
function fieldName(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "body" : out;
}

function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    const field = issue.path.length === 0 ? clip(key) : `${fieldName(issue.path)}.${clip(key)}`;
    return `${field} is not an allowed field`;
  }
  return `${fieldName(issue.path)} ${issue.message}`;
}

export type ChatRequestValidator = (body: unknown) => ChatRequest;

export function chatRequestValidator(models: readonly string[]): ChatRequestValidator {
  const schema = chatRequestSchema(models);
  return (body) => {
    const result = schema.safeParse(body);
    if (result.success) return { messages: result.data.messages, model: result.data.model };
    const first = result.error.issues[0];
    throw new AppError("invalid_request", first ? describe(first) : "the request body is invalid");
  };
}
