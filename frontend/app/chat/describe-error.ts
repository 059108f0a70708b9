import type { ChatError } from "./api";

export interface ErrorDescription {
  title: string;
  detail: string;
  /** A command or setting an operator can act on, shown in monospace. */
  operatorHint?: string;
  /** Seconds until a retry can succeed (rate limits). */
  retryAfterSeconds?: number;
  tone: "error" | "warning";
}

type Describe = (error: ChatError) => ErrorDescription;

const SECRET_COMMAND = "npm run secret:set -- --env <env>";

/** A description that does not depend on the error; a fresh copy each time, so callers may not share it. */
const fixed =
  (description: ErrorDescription): Describe =>
  () => ({ ...description });

/** A rate limit: says when to try again if the server told us, and passes the wait on for the countdown. */
const rateLimited =
  (title: string, lead: string, withWait: string, withoutWait: string): Describe =>
  (error) => {
    const wait = error.details.retryAfterSeconds;
    return {
      tone: "warning",
      title,
      detail: wait ? `${lead} ${withWait} ${formatWait(wait)}.` : `${lead} ${withoutWait}`,
      retryAfterSeconds: wait,
    };
  };

const rejected: Describe = (error) => ({
  tone: "error",
  title: "The server rejected the request",
  detail: error.message,
});

/** Every error code the backend or proxy can send, in words for the person using the chat. */
const DESCRIPTIONS = new Map<string, Describe>([
  [
    "backend_unreachable",
    fixed({
      tone: "error",
      title: "Can't reach the chat service",
      detail: "The backend isn't answering. It may be starting or restarting — try again in a moment.",
    }),
  ],
  [
    "backend_timeout",
    fixed({ tone: "error", title: "The chat service is too slow to answer", detail: "Please try again." }),
  ],
  [
    "network",
    fixed({
      tone: "error",
      title: "You appear to be offline",
      detail: "The browser couldn't reach this site. Check your connection and try again.",
    }),
  ],
  [
    "budget_exceeded",
    (error) => ({
      tone: "warning",
      title: "You've used today's budget",
      detail: error.details.retryAfterSeconds
        ? `You can send messages again in ${formatWait(error.details.retryAfterSeconds)}, when the budget resets.`
        : "You can send messages again after midnight UTC, when the budget resets.",
    }),
  ],
  [
    "spend_cap_reached",
    fixed({
      tone: "warning",
      title: "The chat is paused for today",
      detail: "This environment has reached its daily spending cap. It resumes after midnight UTC.",
    }),
  ],
  [
    "budget_unavailable",
    fixed({
      tone: "error",
      title: "Couldn't check your budget",
      detail:
        "The service could not check today's usage, so it did not send the message. Try again in a moment.",
    }),
  ],
  [
    "not_signed_in",
    fixed({ tone: "warning", title: "You've been signed out", detail: "Sign in again to carry on." }),
  ],
  ["cross_origin_request", rejected],
  [
    "upstream_rate_limited",
    rateLimited(
      "OpenAI is rate limiting this app",
      "The model provider asked us to slow down.",
      "Try again in",
      "Try again shortly.",
    ),
  ],
  [
    "openai_key_missing",
    fixed({
      tone: "error",
      title: "The OpenAI API key isn't set",
      detail:
        "The operator needs to store a key for this environment, or set OPENAI_BASE_URL to an OpenAI-compatible server.",
      operatorHint: SECRET_COMMAND,
    }),
  ],
  [
    "openai_key_rejected",
    fixed({
      tone: "error",
      title: "OpenAI rejected the API key",
      detail: "The stored key is invalid or revoked. The operator needs to store a valid key.",
      operatorHint: SECRET_COMMAND,
    }),
  ],
  [
    "secret_unavailable",
    fixed({
      tone: "error",
      title: "The server couldn't read the OpenAI key",
      detail:
        "The backend could not load the key from AWS Secrets Manager. Check the task role's permissions and that the secret exists.",
      operatorHint: SECRET_COMMAND,
    }),
  ],
  [
    "upstream_timeout",
    fixed({
      tone: "error",
      title: "The model took too long to answer",
      detail: "Try again, or pick a faster model.",
    }),
  ],
  [
    "upstream_error",
    fixed({
      tone: "error",
      title: "The model provider returned an error",
      detail: "This is usually temporary. Please try again.",
    }),
  ],
  [
    "shutting_down",
    fixed({ tone: "warning", title: "The server is restarting", detail: "Try again in a few seconds." }),
  ],
  [
    "payload_too_large",
    fixed({
      tone: "error",
      title: "This conversation is too long",
      detail: "Start a new conversation, or shorten your message and try again.",
    }),
  ],
  [
    "stream_cut",
    fixed({
      tone: "error",
      title: "The reply was cut off",
      detail: "The connection closed before the reply finished. Regenerate to try again.",
    }),
  ],
  ["invalid_request", rejected],
  ["invalid_json", rejected],
  ["unsupported_media_type", rejected],
  ["not_found", rejected],
  ["method_not_allowed", rejected],
  [
    "internal_error",
    fixed({ tone: "error", title: "Something went wrong on the server", detail: "Please try again." }),
  ],
]);

/** Codes we do not know (http_<status>, bad_response, unknown): the raw message beats saying nothing. */
const unknown: Describe = (error) => ({
  tone: "error",
  title: error.details.midStream ? "The reply failed" : "Something went wrong",
  detail: error.message || "Please try again.",
});

/** Turns every error code the backend or proxy can send into words for the person using the chat. */
export function describeError(error: ChatError): ErrorDescription {
  return (DESCRIPTIONS.get(error.code) ?? unknown)(error);
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}
