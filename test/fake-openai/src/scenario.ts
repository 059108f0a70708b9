// What the fake does with the next chat completion requests. A scenario stays in force until
// another is set, or for `times` requests when that is given (then it falls back to "ok").

export type Scenario = (
  | { kind: "ok"; reply?: string; tokenDelayMs?: number }
  | { kind: "status"; status: 401 | 403 | 404 | 429 | 500 | 502 | 503; retryAfter?: number }
  | { kind: "slow"; firstTokenDelayMs: number; reply?: string; tokenDelayMs?: number }
  | { kind: "hang" }
  | { kind: "cut"; afterTokens: number; reply?: string; tokenDelayMs?: number }
) & { times?: number };

const STATUSES = new Set([401, 403, 404, 429, 500, 502, 503]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function optionalNumber(o: Record<string, unknown>, key: string, min: number): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min) {
    throw new Error(`${key} must be a number >= ${min}`);
  }
  return v;
}

function optionalString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new Error(`${key} must be a string`);
  return v;
}

/** Checks a scenario that arrived as JSON over the control endpoint. */
export function parseScenario(input: unknown): Scenario {
  if (!isRecord(input)) throw new Error("scenario must be a JSON object");
  const times = optionalNumber(input, "times", 1);
  const common = times === undefined ? {} : { times };
  const reply = optionalString(input, "reply");
  const tokenDelayMs = optionalNumber(input, "tokenDelayMs", 0);
  const text = {
    ...(reply === undefined ? {} : { reply }),
    ...(tokenDelayMs === undefined ? {} : { tokenDelayMs }),
  };
  switch (input.kind) {
    case "ok":
      return { kind: "ok", ...text, ...common };
    case "status": {
      const status = input.status;
      if (typeof status !== "number" || !STATUSES.has(status)) {
        throw new Error(`status must be one of ${[...STATUSES].join(", ")}`);
      }
      const retryAfter = optionalNumber(input, "retryAfter", 0);
      return {
        kind: "status",
        status: status as 401 | 403 | 404 | 429 | 500 | 502 | 503,
        ...(retryAfter === undefined ? {} : { retryAfter }),
        ...common,
      };
    }
    case "slow": {
      const firstTokenDelayMs = optionalNumber(input, "firstTokenDelayMs", 0);
      if (firstTokenDelayMs === undefined) throw new Error("firstTokenDelayMs is required");
      return { kind: "slow", firstTokenDelayMs, ...text, ...common };
    }
    case "hang":
      return { kind: "hang", ...common };
    case "cut": {
      const afterTokens = optionalNumber(input, "afterTokens", 0);
      if (afterTokens === undefined) throw new Error("afterTokens is required");
      return { kind: "cut", afterTokens, ...text, ...common };
    }
    default:
      throw new Error('kind must be one of "ok", "status", "slow", "hang", "cut"');
  }
}
