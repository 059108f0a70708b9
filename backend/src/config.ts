// Reads and checks every environment variable once, at start-up, so that a bad deployment
// fails at once with one clear line per problem instead of misbehaving later.

import { LOG_LEVELS, type LogLevel } from "@fargate-ai-stack/server-kit";
import { z } from "zod";

export interface OpenAIConfig {
  /** Secrets Manager secret id or ARN holding the key (preferred in AWS). */
  secretId: string | undefined;
  /** A key given directly: for local runs only. */
  apiKey: string | undefined;
  /** An OpenAI-compatible server instead of api.openai.com. */
  baseURL: string | undefined;
  models: string[];
  defaultModel: string;
  timeoutMs: number;
  maxRetries: number;
}

/** Cognito access-token verification; absent when AUTH_DISABLED=true. */
export interface AuthConfig {
  userPoolId: string;
  clientId: string;
  /** The pool id's prefix: us-east-1_AbC123 is in us-east-1. */
  region: string;
  /** https://cognito-idp.<region>.amazonaws.com/<pool id>, the tokens' iss claim. */
  issuer: string;
  /** Where the signing keys are read: AUTH_JWKS_URL, the emulator's copy, or the issuer's. */
  jwksUrl: string;
}

export interface BudgetConfig {
  /** DynamoDB table of the daily counters; absent only when auth is off (then nothing is counted). */
  table: string | undefined;
  userDailyTokens: number;
  environmentDailyTokens: number;
  /** The reply cap per request, sent upstream as max_completion_tokens and reserved up front. */
  maxCompletionTokens: number;
  /** The environment counter's key and the metrics' Environment dimension. */
  environmentName: string;
}

export interface Config {
  port: number;
  host: string;
  openai: OpenAIConfig;
  corsOrigins: string[];
  logLevel: LogLevel;
  logMessageContent: boolean;
  secretTtlMs: number;
  auth: AuthConfig | undefined;
  budget: BudgetConfig;
  shutdownTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** How many proxy hops (the ALB is one) to trust for the client address in X-Forwarded-For. */
  trustProxy: number;
  /** Region for Secrets Manager when AWS_REGION is unset but the secret id is an ARN. */
  awsRegion: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.join("\n")}`);
    this.name = "ConfigError";
  }
}

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
/** The same shape aws-jwt-verify accepts; the part before "_" is the region. */
const USER_POOL_ID = /^((?:eusc-[a-z]{2}|[a-z]{2})-(?:gov-)?[a-z]+-\d)_[A-Za-z0-9]+$/;

function integer(min: number, max: number) {
  return z.string().transform((s, ctx) => {
    const n = Number(s);
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: "custom", message: `must be a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return n;
  });
}

const boolean = z.string().transform((s, ctx) => {
  const v = s.toLowerCase();
  if (["true", "1", "yes", "on"].includes(v)) return true;
  if (["false", "0", "no", "off"].includes(v)) return false;
  ctx.addIssue({ code: "custom", message: "must be true or false" });
  return z.NEVER;
});

function commaList(item: (value: string) => string | undefined, what: string) {
  return z.string().transform((s, ctx) => {
    const items = [...new Set(s.split(",").map((x) => x.trim()))].filter((x) => x !== "");
    if (items.length === 0) {
      ctx.addIssue({ code: "custom", message: `must list at least one ${what}` });
      return z.NEVER;
    }
    for (const value of items) {
      const problem = item(value);
      if (problem) {
        ctx.addIssue({ code: "custom", message: `"${value}" ${problem}` });
        return z.NEVER;
      }
    }
    return items;
  });
}

const httpUrl = z.string().transform((s, ctx) => {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    ctx.addIssue({ code: "custom", message: "must be an absolute http(s) URL" });
    return z.NEVER;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    ctx.addIssue({ code: "custom", message: "must use http or https" });
    return z.NEVER;
  }
  return s.replace(/\/+$/, "");
});

function originProblem(value: string): string | undefined {
  try {
    const url = new URL(value);
    if ((url.protocol === "http:" || url.protocol === "https:") && url.origin === value) return undefined;
  } catch {
    // fall through to the message below
  }
  return "is not an origin (scheme://host[:port], no path or trailing slash)";
}

interface Variable<T> {
  schema: z.ZodType<T, string>;
  example: string;
  /** Never echo the value back in an error: it may be a credential. */
  secret?: boolean;
}

const variables = {
  PORT: { schema: integer(0, 65535), example: "4000" },
  HOST: {
    schema: z.string().regex(/^[A-Za-z0-9.:_-]+$/, "must be a host name or IP address"),
    example: "0.0.0.0",
  },
  OPENAI_SECRET_ID: {
    schema: z.string().regex(/^[A-Za-z0-9/_+=.@:-]{1,2048}$/, "must be a secret name or ARN"),
    example: "arn:aws:secretsmanager:us-east-1:123456789012:secret:fargate-ai-stack/dev/openai-AbCdEf",
  },
  OPENAI_API_KEY: {
    schema: z.string().regex(/^\S+$/, "must not contain whitespace"),
    example: "sk-... (local use only)",
    secret: true,
  },
  OPENAI_BASE_URL: { schema: httpUrl, example: "http://127.0.0.1:11434/v1" },
  OPENAI_MODELS: {
    schema: commaList((m) => (MODEL_ID.test(m) ? undefined : "is not a valid model id"), "model"),
    example: "gpt-4o-mini,gpt-4.1-mini",
  },
  OPENAI_DEFAULT_MODEL: {
    schema: z.string().regex(MODEL_ID, "is not a valid model id"),
    example: "gpt-4o-mini",
  },
  OPENAI_TIMEOUT_MS: { schema: integer(1, 600_000), example: "60000" },
  OPENAI_MAX_RETRIES: { schema: integer(0, 10), example: "2" },
  CORS_ORIGINS: { schema: commaList(originProblem, "origin"), example: "https://chat.example.com" },
  LOG_LEVEL: {
    schema: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }),
    example: "info",
  },
  LOG_MESSAGE_CONTENT: { schema: boolean, example: "false" },
  SECRET_TTL_SECONDS: { schema: integer(1, 86_400), example: "300" },
  AUTH_USER_POOL_ID: {
    schema: z.string().regex(USER_POOL_ID, "must be a Cognito user pool id (<region>_<id>)"),
    example: "us-east-1_AbC123xyz",
  },
  AUTH_CLIENT_ID: {
    schema: z.string().regex(/^[\w+]{1,128}$/, "must be a Cognito app client id"),
    example: "1example23456789abcdefghij",
  },
  AUTH_JWKS_URL: {
    schema: httpUrl,
    example: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123xyz/.well-known/jwks.json",
  },
  AUTH_DISABLED: { schema: boolean, example: "false" },
  AWS_ENDPOINT_URL: { schema: httpUrl, example: "http://127.0.0.1:5000" },
  BUDGET_TABLE: {
    schema: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, "must be a DynamoDB table name"),
    example: "fargate-ai-stack-dev-budgets",
  },
  BUDGET_USER_DAILY_TOKENS: { schema: integer(1, 1_000_000_000), example: "200000" },
  BUDGET_ENVIRONMENT_DAILY_TOKENS: { schema: integer(1, 1_000_000_000_000), example: "5000000" },
  MAX_COMPLETION_TOKENS: { schema: integer(1, 1_000_000), example: "1024" },
  ENVIRONMENT_NAME: {
    schema: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be letters, digits, _ or - (at most 64)"),
    example: "dev",
  },
  SHUTDOWN_TIMEOUT_SECONDS: { schema: integer(0, 3600), example: "25" },
  HEARTBEAT_INTERVAL_MS: { schema: integer(10, 600_000), example: "15000" },
  TRUST_PROXY: { schema: integer(0, 10), example: "1" },
} satisfies Record<string, Variable<unknown>>;

type Variables = typeof variables;
type Parsed = { [K in keyof Variables]: z.output<Variables[K]["schema"]> | undefined };

/** Region from a Secrets Manager ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME). */
function regionFromArn(secretId: string | undefined): string | undefined {
  const m = secretId?.match(/^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):/);
  return m?.[1];
}

function reported(problems: string[], name: string): boolean {
  return problems.some((p) => p.startsWith(`${name} `));
}

/**
 * Sign-in is on unless AUTH_DISABLED=true; then both AUTH_* must be set, so a deployment that
 * forgot them refuses to start instead of serving everyone.
 */
function authConfig(v: Parsed, problems: string[]): AuthConfig | undefined {
  if (v.AUTH_DISABLED === true) return undefined;
  const { AUTH_USER_POOL_ID: userPoolId, AUTH_CLIENT_ID: clientId } = v;
  if (userPoolId === undefined || clientId === undefined) {
    // A variable whose value was bad is reported already; "required" is only for unset ones.
    const missing = (["AUTH_USER_POOL_ID", "AUTH_CLIENT_ID"] as const).filter(
      (name) => v[name] === undefined && !reported(problems, name),
    );
    if (missing.length > 0) {
      problems.push(
        `${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} required (the Cognito user pool and app client whose access tokens are accepted), or set AUTH_DISABLED=true for local development without sign-in. Example: AUTH_USER_POOL_ID=us-east-1_AbC123xyz AUTH_CLIENT_ID=1example23456789abcdefghij`,
      );
    }
    return undefined;
  }
  const region = USER_POOL_ID.exec(userPoolId)?.[1] ?? "";
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  const jwksUrl =
    v.AUTH_JWKS_URL ??
    (v.AWS_ENDPOINT_URL === undefined
      ? `${issuer}/.well-known/jwks.json`
      : `${v.AWS_ENDPOINT_URL}/${userPoolId}/.well-known/jwks.json`);
  return { userPoolId, clientId, region, issuer, jwksUrl };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const parsed: Partial<Record<keyof Variables, unknown>> = {};
  for (const [name, spec] of Object.entries(variables) as [keyof Variables, Variable<unknown>][]) {
    const raw = env[name]?.trim();
    // Unset and empty are the same: env files often carry `NAME=` for "not set".
    if (raw === undefined || raw === "") continue;
    const result = spec.schema.safeParse(raw);
    if (result.success) {
      parsed[name] = result.data;
      continue;
    }
    const why = result.error.issues[0]?.message ?? "is invalid";
    const got = spec.secret ? "" : ` (got "${raw.length > 80 ? `${raw.slice(0, 80)}…` : raw}")`;
    problems.push(`${name} ${why}${got}. Example: ${name}=${spec.example}`);
  }
  const v = parsed as Parsed;

  const models = v.OPENAI_MODELS ?? ["gpt-4o-mini", "gpt-4.1-mini"];
  const defaultModel = v.OPENAI_DEFAULT_MODEL ?? models[0] ?? "gpt-4o-mini";
  if (v.OPENAI_DEFAULT_MODEL !== undefined && !models.includes(v.OPENAI_DEFAULT_MODEL)) {
    problems.push(
      `OPENAI_DEFAULT_MODEL must be one of OPENAI_MODELS (${models.join(", ")}) (got "${v.OPENAI_DEFAULT_MODEL}"). Example: OPENAI_DEFAULT_MODEL=${models[0]}`,
    );
  }
  const auth = authConfig(v, problems);
  // With sign-in on, every chat is charged to a user: the counters must have somewhere to live.
  if (v.AUTH_DISABLED !== true && v.BUDGET_TABLE === undefined && !reported(problems, "BUDGET_TABLE")) {
    problems.push(
      "BUDGET_TABLE is required when sign-in is on (the per-user budgets live there). Example: BUDGET_TABLE=fargate-ai-stack-dev-budgets",
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port: v.PORT ?? 4000,
    host: v.HOST ?? "0.0.0.0",
    openai: {
      secretId: v.OPENAI_SECRET_ID,
      apiKey: v.OPENAI_API_KEY,
      baseURL: v.OPENAI_BASE_URL,
      models,
      defaultModel,
      timeoutMs: v.OPENAI_TIMEOUT_MS ?? 60_000,
      maxRetries: v.OPENAI_MAX_RETRIES ?? 2,
    },
    corsOrigins: v.CORS_ORIGINS ?? [],
    logLevel: v.LOG_LEVEL ?? "info",
    logMessageContent: v.LOG_MESSAGE_CONTENT ?? false,
    secretTtlMs: (v.SECRET_TTL_SECONDS ?? 300) * 1000,
    auth,
    budget: {
      table: v.BUDGET_TABLE,
      userDailyTokens: v.BUDGET_USER_DAILY_TOKENS ?? 200_000,
      environmentDailyTokens: v.BUDGET_ENVIRONMENT_DAILY_TOKENS ?? 5_000_000,
      maxCompletionTokens: v.MAX_COMPLETION_TOKENS ?? 1024,
      environmentName: v.ENVIRONMENT_NAME ?? "local",
    },
    shutdownTimeoutMs: (v.SHUTDOWN_TIMEOUT_SECONDS ?? 25) * 1000,
    heartbeatIntervalMs: v.HEARTBEAT_INTERVAL_MS ?? 15_000,
    trustProxy: v.TRUST_PROXY ?? 1,
    awsRegion: env.AWS_REGION || env.AWS_DEFAULT_REGION ? undefined : regionFromArn(v.OPENAI_SECRET_ID),
  };
}
