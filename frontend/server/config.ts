import { LOG_LEVELS, type LogLevel } from "@fargate-ai-stack/server-kit";
import { z } from "zod";

/** Example values printed with every configuration error so the fix is obvious. */
const EXAMPLES = {
  PORT: "3000",
  HOST: "0.0.0.0",
  BACKEND_URL: "http://backend.dev.fargate-ai-stack.local:4000",
  LOG_LEVEL: "info",
  AUTH_USER_POOL_ID: "eu-west-1_AbC123xyz",
  AUTH_CLIENT_ID: "1example23456789abcdefghij",
  // Never the real value: errors about SESSION_SECRET must not echo it.
  SESSION_SECRET: "$(openssl rand -base64 48)",
  AWS_ENDPOINT_URL: "http://127.0.0.1:5000",
} as const;

/** Shortest SESSION_SECRET accepted: HKDF stretches it into the cookie key, but cannot add entropy. */
export const MIN_SESSION_SECRET_LENGTH = 32;

type Variable = keyof typeof EXAMPLES;

/** Required variables: an empty value is reported as such rather than treated as unset. */
const REQUIRED = new Set<Variable>(["BACKEND_URL", "AUTH_USER_POOL_ID", "AUTH_CLIENT_ID", "SESSION_SECRET"]);

export interface Config {
  port: number;
  host: string;
  /** Origin of the backend, without a trailing slash, e.g. http://backend.dev.fargate-ai-stack.local:4000 */
  backendUrl: string;
  logLevel: LogLevel;
  production: boolean;
  auth: AuthConfig;
}

/** The Cognito user pool the frontend signs people in with, and the key material for its session cookie. */
export interface AuthConfig {
  userPoolId: string;
  clientId: string;
  /** The pool id's prefix: us-east-1_AbC123 lives in us-east-1. */
  region: string;
  /** AWS_ENDPOINT_URL (the emulator) when set; otherwise the SDK's regional Cognito endpoint. */
  endpoint: string | undefined;
  /** Server-only; the session cookie's encryption key is derived from it. */
  sessionSecret: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** Returns a problem description, or undefined when the value is a usable backend base URL. */
function backendUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is not a valid URL (got "${value}")`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `must start with http:// or https:// (got "${url.protocol}")`;
  }
  if (url.username || url.password) return "must not contain credentials";
  // The proxy appends /api/..., so a path, query or fragment would silently produce wrong URLs.
  if (url.pathname !== "/" || url.search || url.hash) {
    return `must be the backend's base URL without a path, query or fragment (got "${value}")`;
  }
  return undefined;
}

/** Cognito's own pattern for user pool ids: <region>_<alphanumerics>. */
const USER_POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9a-zA-Z]+$/;

const schema = z.object({
  PORT: z
    .string()
    .trim()
    .default(EXAMPLES.PORT)
    .refine((v) => /^\d+$/.test(v) && Number(v) <= 65535, {
      error: (issue) => `must be a whole number from 0 to 65535 (got "${String(issue.input)}")`,
    })
    .transform(Number),
  HOST: z.string().trim().min(1, { error: "must not be empty" }).default(EXAMPLES.HOST),
  BACKEND_URL: z
    .string({ error: "is not set; the frontend needs it to reach the backend" })
    .trim()
    .min(1, { error: "is empty; the frontend needs it to reach the backend" })
    .check((ctx) => {
      const problem = backendUrlProblem(ctx.value);
      if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
    })
    .transform((v) => new URL(v).origin),
  LOG_LEVEL: z
    .string()
    .trim()
    .toLowerCase()
    .default(EXAMPLES.LOG_LEVEL)
    .pipe(
      z.enum(LOG_LEVELS, {
        error: (issue) => `must be one of ${LOG_LEVELS.join(", ")} (got "${String(issue.input)}")`,
      }),
    ),
  AUTH_USER_POOL_ID: z
    .string({ error: "is not set; the frontend signs people in with this Cognito user pool" })
    .trim()
    .regex(USER_POOL_ID, {
      error: (issue) => `must be a Cognito user pool id, <region>_<id> (got "${String(issue.input)}")`,
    }),
  AUTH_CLIENT_ID: z
    .string({ error: "is not set; it is the user pool's app client for this frontend" })
    .trim()
    .regex(/^[\w+]{1,128}$/, {
      error: (issue) => `must be a Cognito app client id (got "${String(issue.input)}")`,
    }),
  SESSION_SECRET: z
    .string({ error: "is not set; the session cookie is encrypted with a key derived from it" })
    // The messages below never include the value: it is a secret, and these lines end up in logs.
    .min(MIN_SESSION_SECRET_LENGTH, {
      error: `is too short; it needs at least ${MIN_SESSION_SECRET_LENGTH} characters`,
    }),
  AWS_ENDPOINT_URL: z
    .url({
      protocol: /^https?$/,
      error: (issue) => `must be an http(s) URL (got "${String(issue.input)}")`,
    })
    .optional(),
});

/**
 * Validates the environment once at start-up. Each problem becomes one line that names the variable,
 * says what is wrong and shows an example, so an operator reading ECS logs can fix it without the source.
 */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  // Treat empty optional variables as unset (a common result of `FOO=` in env files).
  const input = Object.fromEntries(
    (Object.keys(EXAMPLES) as Variable[]).map((key) => {
      const value = env[key];
      return [key, value === "" && !REQUIRED.has(key) ? undefined : value];
    }),
  );
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const seen = new Set<string>();
    const errors: string[] = [];
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0]) as Variable;
      if (seen.has(variable)) continue;
      seen.add(variable);
      errors.push(
        `Configuration error: ${variable} ${issue.message}. Example: ${variable}=${EXAMPLES[variable]}`,
      );
    }
    return { ok: false, errors };
  }
  const { PORT, HOST, BACKEND_URL, LOG_LEVEL, AUTH_USER_POOL_ID, AUTH_CLIENT_ID, SESSION_SECRET } =
    parsed.data;
  return {
    ok: true,
    config: {
      port: PORT,
      host: HOST,
      backendUrl: BACKEND_URL,
      logLevel: LOG_LEVEL,
      production: env.NODE_ENV === "production",
      auth: {
        userPoolId: AUTH_USER_POOL_ID,
        clientId: AUTH_CLIENT_ID,
        region: AUTH_USER_POOL_ID.split("_")[0]!,
        endpoint: parsed.data.AWS_ENDPOINT_URL?.replace(/\/+$/, ""),
        sessionSecret: SESSION_SECRET,
      },
    },
  };
}
