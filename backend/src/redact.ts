// Scrubs credentials out of anything about to be logged: known secret values wherever they
// appear, anything that looks like an OpenAI key, a bearer token or a JWT, and fields whose name
// says they hold a credential (Authorization among them).

const SENSITIVE_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|apikey|openai_api_key|secret(string|value|binary)?|password|token|access[-_]?token|session[-_]?token|aws_secret_access_key)$/i;
const KEY_PATTERN = /\bsk-[A-Za-z0-9_-]{8,}/g;
const BEARER_PATTERN = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;
/** A JWT (Cognito access, ID or refresh token) outside an Authorization header: header.payload.signature. */
const JWT_PATTERN = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const MAX_DEPTH = 8;

export const REDACTED = "[REDACTED]";

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remember a value that must never be logged (each loaded API key is added here). */
  add(secret: string): void {
    // Very short values would blank out ordinary words; real keys are far longer.
    if (secret.length >= 8) this.secrets.add(secret);
  }

  redactString(text: string): string {
    let out = text;
    for (const s of this.secrets) {
      if (out.includes(s)) out = out.split(s).join(REDACTED);
    }
    return out
      .replace(KEY_PATTERN, `sk-${REDACTED}`)
      .replace(BEARER_PATTERN, `$1 ${REDACTED}`)
      .replace(JWT_PATTERN, REDACTED);
  }

  /** A redacted copy; errors become plain objects so their message and stack are scrubbed too. */
  redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
    if (typeof value === "string") return this.redactString(value);
    if (value === null || typeof value !== "object") return value;
    if (depth >= MAX_DEPTH) return "[too deep]";
    if (seen.has(value)) return "[circular]";
    seen.add(value);
    if (value instanceof Error) {
      const out: Record<string, unknown> = { name: value.name, message: this.redactString(value.message) };
      if (value.stack) out.stack = this.redactString(value.stack);
      // `cause` is not enumerable, but it is usually the interesting part.
      if (value.cause !== undefined) out.cause = this.redact(value.cause, depth + 1, seen);
      for (const [k, v] of Object.entries(value)) out[k] = this.redactProperty(k, v, depth + 1, seen);
      return out;
    }
    if (Array.isArray(value)) return value.map((v) => this.redact(v, depth + 1, seen));
    if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
      return this.redact((value as { toJSON(): unknown }).toJSON(), depth + 1, seen);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.redactProperty(k, v, depth + 1, seen);
    return out;
  }

  /** Redacts one named field: the whole value when the name says it is a credential. */
  redactProperty(key: string, value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
    if (SENSITIVE_KEY.test(key) && value !== undefined && value !== null) return REDACTED;
    return this.redact(value, depth, seen);
  }
}
