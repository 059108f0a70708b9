// Where the OpenAI API key comes from. In AWS it is read from Secrets Manager through the task
// role and cached for a TTL; one fetch at a time; the last good value is kept when a refresh
// fails; OpenAI answering 401 forces one refresh so a rotated key is picked up at once.

import {
  GetSecretValueCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from "@aws-sdk/client-secrets-manager";
import type { Config } from "./config.js";
import { AppError, MESSAGES } from "./errors.js";
import type { Logger } from "./logger.js";
import type { Redactor } from "./redact.js";

export type KeySource = "secrets-manager" | "environment" | "none" | "not-required";

export interface KeyStatus {
  ready: boolean;
  reason?: string;
}

export interface KeyProvider {
  readonly source: KeySource;
  /** The current key; throws AppError (openai_key_missing or secret_unavailable) when there is none. */
  getKey(): Promise<string>;
  /** Called after OpenAI rejected `rejected`: returns a newer key when there is one, else `rejected`. */
  refreshAfterRejection(rejected: string): Promise<string>;
  status(): KeyStatus;
  /** Start loading in the background without waiting (start-up, readiness probes). */
  warm(): void;
}

/** A key given directly (OPENAI_API_KEY, local use), or a placeholder for servers that need none. */
export class StaticKeyProvider implements KeyProvider {
  constructor(
    private readonly key: string,
    readonly source: "environment" | "not-required",
  ) {}

  async getKey(): Promise<string> {
    return this.key;
  }

  async refreshAfterRejection(): Promise<string> {
    return this.key;
  }

  status(): KeyStatus {
    return { ready: true };
  }

  warm(): void {}
}

/** No secret id, no key, no custom server: the app runs, but chat answers openai_key_missing. */
export class MissingKeyProvider implements KeyProvider {
  readonly source = "none";

  async getKey(): Promise<string> {
    throw new AppError("openai_key_missing", MESSAGES.keyMissing);
  }

  async refreshAfterRejection(rejected: string): Promise<string> {
    return rejected;
  }

  status(): KeyStatus {
    return {
      ready: false,
      reason: "no OpenAI API key configured (set OPENAI_SECRET_ID, or OPENAI_API_KEY for local use)",
    };
  }

  warm(): void {}
}

/** Accepts the raw key, or JSON `{"OPENAI_API_KEY": "..."}`; undefined when it is neither. */
export function parseSecretValue(value: string): string | undefined {
  const text = value.trim();
  if (text.startsWith("{")) {
    try {
      const parsed = JSON.parse(text) as unknown;
      const key =
        typeof parsed === "object" && parsed !== null
          ? (parsed as Record<string, unknown>).OPENAI_API_KEY
          : undefined;
      return typeof key === "string" && /^\S+$/.test(key.trim()) ? key.trim() : undefined;
    } catch {
      return undefined;
    }
  }
  return /^\S+$/.test(text) ? text : undefined;
}

class InvalidSecretValue extends Error {
  override readonly name = "InvalidSecretValue";
}

/** The AWS error code (ResourceNotFoundException, AccessDeniedException, ...) or a network code. */
export function awsErrorCode(err: unknown): string {
  if (err instanceof SecretsManagerServiceException) return err.name;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" ? code : err.name;
  }
  return "UnknownError";
}

export interface SecretsManagerKeyProviderOptions {
  client: SecretsManagerClient;
  secretId: string;
  ttlMs: number;
  logger: Logger;
  redactor: Redactor;
  /** After a failed fetch, wait this long before asking again (readiness probes, chat bursts). */
  failureBackoffMs?: number;
  /** At most one 401-triggered refresh in this interval, so a bad key cannot flood AWS. */
  rejectionRefreshIntervalMs?: number;
  now?: () => number;
}

export class SecretsManagerKeyProvider implements KeyProvider {
  readonly source = "secrets-manager";
  private value: string | undefined;
  private fetchedAt = 0;
  private lastFailure: { code: string; at: number; unset: boolean } | undefined;
  private lastForcedAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<string> | undefined;
  private readonly now: () => number;
  private readonly failureBackoffMs: number;
  private readonly rejectionRefreshIntervalMs: number;

  constructor(private readonly opts: SecretsManagerKeyProviderOptions) {
    this.now = opts.now ?? Date.now;
    this.failureBackoffMs = opts.failureBackoffMs ?? 5000;
    this.rejectionRefreshIntervalMs = opts.rejectionRefreshIntervalMs ?? 5000;
  }

  async getKey(): Promise<string> {
    const t = this.now();
    if (this.value !== undefined && t - this.fetchedAt < this.opts.ttlMs) return this.value;
    if (!this.inflight && this.lastFailure && t - this.lastFailure.at < this.failureBackoffMs) {
      if (this.value !== undefined) return this.value;
      if (this.lastFailure.unset) throw new AppError("openai_key_missing", MESSAGES.keyMissing);
      throw new AppError("secret_unavailable", MESSAGES.secretUnavailable);
    }
    return this.load();
  }

  async refreshAfterRejection(rejected: string): Promise<string> {
    // Another request already picked up a newer key.
    if (this.value !== undefined && this.value !== rejected) return this.value;
    if (this.inflight) return this.load();
    const t = this.now();
    if (t - this.lastForcedAt < this.rejectionRefreshIntervalMs) return this.value ?? rejected;
    this.lastForcedAt = t;
    this.opts.logger.warn("OpenAI rejected the API key; reading the secret again in case it was rotated", {
      secretId: this.opts.secretId,
    });
    try {
      return await this.load();
    } catch {
      return rejected;
    }
  }

  status(): KeyStatus {
    if (this.value !== undefined) return { ready: true };
    if (this.lastFailure) return { ready: false, reason: `secret unavailable: ${this.lastFailure.code}` };
    return { ready: false, reason: "loading the OpenAI API key from Secrets Manager" };
  }

  warm(): void {
    this.getKey().catch(() => {
      // Already logged by fetch(); readiness reports it.
    });
  }

  /** Joins the fetch in flight or starts one; falls back to the last good value on failure. */
  private async load(): Promise<string> {
    this.inflight ??= this.fetch().finally(() => {
      this.inflight = undefined;
    });
    try {
      return await this.inflight;
    } catch (err) {
      if (this.value !== undefined) return this.value;
      throw err;
    }
  }

  private async fetch(): Promise<string> {
    const { client, secretId, logger, redactor } = this.opts;
    const started = this.now();
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      const raw =
        out.SecretString ?? (out.SecretBinary ? Buffer.from(out.SecretBinary).toString("utf8") : undefined);
      if (raw === undefined) throw new InvalidSecretValue("the secret has no value");
      const key = parseSecretValue(raw);
      if (key === undefined) {
        throw new InvalidSecretValue(
          'the secret is neither an API key nor JSON with an "OPENAI_API_KEY" field',
        );
      }
      // Register before anything could log it.
      redactor.add(key);
      const rotated = this.value !== undefined && this.value !== key;
      this.value = key;
      this.fetchedAt = this.now();
      this.lastFailure = undefined;
      logger.info("loaded the OpenAI API key from Secrets Manager", {
        secretId,
        versionId: out.VersionId,
        changed: rotated,
        durationMs: this.now() - started,
      });
      return key;
    } catch (err) {
      const code = awsErrorCode(err);
      const unset = isUnsetSecret(err);
      this.lastFailure = { code, at: this.now(), unset };
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      logger.error("could not load the OpenAI API key from Secrets Manager", {
        secretId,
        awsErrorCode: code,
        httpStatus: status,
        reason: err instanceof Error ? err.message : String(err),
        keepingLastGoodValue: this.value !== undefined,
      });
      // The secret exists but nobody stored a key yet (Terraform creates only the container): tell the
      // operator how to set one rather than "try again later".
      if (unset) throw new AppError("openai_key_missing", MESSAGES.keyMissing, { cause: err });
      throw new AppError("secret_unavailable", MESSAGES.secretUnavailable, { cause: err });
    }
  }
}

/** A secret without a current value: Secrets Manager's "can't find the specified secret value". */
function isUnsetSecret(err: unknown): boolean {
  if (err instanceof InvalidSecretValue) return err.message === "the secret has no value";
  return (
    awsErrorCode(err) === "ResourceNotFoundException" &&
    err instanceof Error &&
    /secret value/i.test(err.message)
  );
}

/** Picks the key source from the configuration: Secrets Manager, a local key, or none. */
export function createKeyProvider(
  config: Config,
  logger: Logger,
  redactor: Redactor,
  client?: SecretsManagerClient,
): KeyProvider {
  const { secretId, apiKey, baseURL } = config.openai;
  if (secretId !== undefined) {
    if (apiKey !== undefined) logger.warn("OPENAI_API_KEY is ignored because OPENAI_SECRET_ID is set");
    return new SecretsManagerKeyProvider({
      client:
        client ??
        new SecretsManagerClient({
          ...(config.awsRegion ? { region: config.awsRegion } : {}),
          maxAttempts: 3,
          // A stuck endpoint must not hold chat requests for the SDK's default (no) timeout.
          requestHandler: { connectionTimeout: 3000, requestTimeout: 5000 },
        }),
      secretId,
      ttlMs: config.secretTtlMs,
      logger,
      redactor,
    });
  }
  if (apiKey !== undefined) {
    redactor.add(apiKey);
    return new StaticKeyProvider(apiKey, "environment");
  }
  // Many OpenAI-compatible servers (Ollama, vLLM, the fake) accept any key; the SDK wants one.
  if (baseURL !== undefined) return new StaticKeyProvider("not-needed", "not-required");
  return new MissingKeyProvider();
}
