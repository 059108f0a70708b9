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

const SECRET_COMMAND = "npm run secret:set -- --env <env>";

/** Turns every error code the backend or proxy can send into words for the person using the chat. */
export function describeError(error: ChatError): ErrorDescription {
  const wait = error.details.retryAfterSeconds;
  switch (error.code) {
    case "backend_unreachable":
      return {
        tone: "error",
        title: "Can't reach the chat service",
        detail: "The backend isn't answering. It may be starting or restarting — try again in a moment.",
      };
    case "backend_timeout":
      return { tone: "error", title: "The chat service is too slow to answer", detail: "Please try again." };
    case "network":
      return {
        tone: "error",
        title: "You appear to be offline",
        detail: "The browser couldn't reach this site. Check your connection and try again.",
      };
    case "rate_limited":
      return {
        tone: "warning",
        title: "Too many messages",
        detail: wait
          ? `You've hit the rate limit. You can try again in ${formatWait(wait)}.`
          : "You've hit the rate limit. Wait a moment and try again.",
        retryAfterSeconds: wait,
      };
    case "upstream_rate_limited":
      return {
        tone: "warning",
        title: "OpenAI is rate limiting this app",
        detail: wait
          ? `The model provider asked us to slow down. Try again in ${formatWait(wait)}.`
          : "The model provider asked us to slow down. Try again shortly.",
        retryAfterSeconds: wait,
      };
    case "openai_key_missing":
      return {
        tone: "error",
        title: "The OpenAI API key isn't set",
        detail:
          "The operator needs to store a key for this environment, or set OPENAI_BASE_URL to an OpenAI-compatible server.",
        operatorHint: SECRET_COMMAND,
      };
    case "openai_key_rejected":
      return {
        tone: "error",
        title: "OpenAI rejected the API key",
        detail: "The stored key is invalid or revoked. The operator needs to store a valid key.",
        operatorHint: SECRET_COMMAND,
      };
    case "secret_unavailable":
      return {
        tone: "error",
        title: "The server couldn't read the OpenAI key",
        detail:
          "The backend could not load the key from AWS Secrets Manager. Check the task role's permissions and that the secret exists.",
        operatorHint: SECRET_COMMAND,
      };
    case "upstream_timeout":
      return {
        tone: "error",
        title: "The model took too long to answer",
        detail: "Try again, or pick a faster model.",
      };
    case "upstream_error":
      return {
        tone: "error",
        title: "The model provider returned an error",
        detail: "This is usually temporary. Please try again.",
      };
    case "shutting_down":
      return { tone: "warning", title: "The server is restarting", detail: "Try again in a few seconds." };
    case "payload_too_large":
      return {
        tone: "error",
        title: "This conversation is too long",
        detail: "Start a new conversation, or shorten your message and try again.",
      };
    case "stream_cut":
      return {
        tone: "error",
        title: "The reply was cut off",
        detail: "The connection closed before the reply finished. Regenerate to try again.",
      };
    case "invalid_request":
    case "invalid_json":
    case "unsupported_media_type":
    case "not_found":
    case "method_not_allowed":
      return { tone: "error", title: "The server rejected the request", detail: error.message };
    case "internal_error":
      return { tone: "error", title: "Something went wrong on the server", detail: "Please try again." };
    default:
      return {
        tone: "error",
        title: error.details.midStream ? "The reply failed" : "Something went wrong",
        detail: error.message || "Please try again.",
      };
  }
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
