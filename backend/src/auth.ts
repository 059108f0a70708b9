// Verifies Cognito access tokens with aws-jwt-verify: signature against the pool's JWKS, issuer,
// client_id, token_use = access and expiry. Every failure becomes the 401 code of the API, so
// clients can tell "sign in again" (expired) from "this is not our token" (issuer, client, use).

import { CognitoJwtVerifier } from "aws-jwt-verify";
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  JwtBaseError,
  JwtExpiredError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  JwkInvalidKtyError,
  JwkInvalidUseError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwkValidationError,
  KidNotFoundInJwksError,
  NotSupportedError,
  ParameterValidationError,
  FetchError,
  WaitPeriodNotYetEndedJwkError,
} from "aws-jwt-verify/error";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import type { AuthConfig } from "./config.js";
import { AppError, type ErrorCode } from "./errors.js";

/** Who is asking. Only the verified `sub` is trusted; nothing else in the token names the user. */
export interface Identity {
  sub: string;
}

export interface TokenVerifier {
  /** Resolves to the token's user, or rejects with an AppError (401 or 503 auth_unavailable). */
  verify(token: string): Promise<Identity>;
  /** Loads the signing keys ahead of the first request; failures are retried on use. */
  warm(): Promise<void>;
}

export interface TokenVerifierOptions {
  /**
   * Seconds of tolerance on exp. Production uses 0; tests pass a negative value to see a real,
   * freshly issued emulator token as expired (no clock to fake, no hand-signed token).
   */
  graceSeconds?: number;
  /** How long one JWKS download may take. */
  fetchTimeoutMs?: number;
}

export const INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"';

const MESSAGES: Record<string, string> = {
  token_malformed: "the bearer token is not a JWT",
  token_expired: "the access token has expired; sign in again",
  token_invalid_signature: "the access token's signature does not verify",
  token_wrong_issuer: "the access token was issued by another user pool",
  token_wrong_client: "the access token was issued to another app client",
  token_wrong_use: "the token is not an access token (send the access token, not the ID token)",
  token_unsupported_algorithm: "the access token is not signed with the pool's algorithm",
};

function invalidToken(code: ErrorCode, cause: unknown): AppError {
  return new AppError(code, MESSAGES[code] ?? "the access token is invalid", {
    headers: { "WWW-Authenticate": INVALID_TOKEN_CHALLENGE },
    cause,
  });
}

function authUnavailable(cause: unknown): AppError {
  return new AppError("auth_unavailable", "the sign-in keys could not be loaded; try again shortly", {
    retryAfterSeconds: 5,
    cause,
  });
}

/** The 401 code for an aws-jwt-verify error; undefined for a failure on our side (keys unavailable). */
function codeFor(err: unknown, keysLoaded: boolean): ErrorCode | undefined {
  if (err instanceof JwtExpiredError || err instanceof JwtNotBeforeError) return "token_expired";
  if (err instanceof JwtInvalidIssuerError) return "token_wrong_issuer";
  if (err instanceof CognitoJwtInvalidClientIdError) return "token_wrong_client";
  if (err instanceof CognitoJwtInvalidTokenUseError) return "token_wrong_use";
  if (err instanceof JwtInvalidSignatureAlgorithmError) return "token_unsupported_algorithm";
  // A key id the pool does not have: signed by someone else.
  if (
    err instanceof JwtInvalidSignatureError ||
    err instanceof KidNotFoundInJwksError ||
    err instanceof JwtWithoutValidKidError
  ) {
    return "token_invalid_signature";
  }
  // Raised while a failed key lookup cools down: an unknown kid once the keys are known, an
  // unreachable JWKS before that.
  if (err instanceof WaitPeriodNotYetEndedJwkError) return keysLoaded ? "token_invalid_signature" : undefined;
  if (
    err instanceof FetchError ||
    err instanceof JwksValidationError ||
    err instanceof JwkValidationError ||
    err instanceof JwksNotAvailableInCacheError ||
    err instanceof JwkInvalidUseError ||
    err instanceof JwkInvalidKtyError ||
    err instanceof NotSupportedError ||
    err instanceof ParameterValidationError ||
    !(err instanceof JwtBaseError)
  ) {
    return undefined;
  }
  // JwtParseError and any other complaint about the token's shape or claims.
  return "token_malformed";
}

/** The unverified header or payload of a JWT, only to explain a rejection; never trusted. */
function peek(token: string, part: 0 | 1): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(Buffer.from(token.split(".")[part] ?? "", "base64url").toString("utf8"));
    return typeof json === "object" && json !== null ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * aws-jwt-verify refuses some tokens before it looks at what is wrong with them: an unsigned
 * token (`alg: none`, empty signature) fails parsing, and a foreign issuer fails the issuer
 * lookup. The token's own claims then tell which code it is.
 */
function refine(
  code: ErrorCode | undefined,
  err: unknown,
  token: string,
  auth: AuthConfig,
): ErrorCode | undefined {
  if (err instanceof JwtParseError) {
    const alg = peek(token, 0)?.alg;
    return typeof alg === "string" && alg !== "RS256" ? "token_unsupported_algorithm" : code;
  }
  if (err instanceof ParameterValidationError) {
    const iss = peek(token, 1)?.iss;
    const ours = [auth.issuer, auth.issuer.replace("https://cognito-idp.", "https://issuer-cognito-idp.")];
    return typeof iss === "string" && !ours.includes(iss) ? "token_wrong_issuer" : code;
  }
  return code;
}

export function createTokenVerifier(auth: AuthConfig, options: TokenVerifierOptions = {}): TokenVerifier {
  // aws-jwt-verify knows the pool under its regional and its global issuer name.
  const poolJwksPath = `/${auth.userPoolId}/.well-known/jwks.json`;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 5000;
  let keysLoaded = false;
  // aws-jwt-verify asks for the issuer's JWKS URL; the fetcher reads it from AUTH_JWKS_URL (the
  // emulator, or a mirror) instead, over http or https.
  const jwksCache = new SimpleJwksCache({
    fetcher: {
      async fetch(uri) {
        const target = uri.startsWith("https://") && uri.endsWith(poolJwksPath) ? auth.jwksUrl : uri;
        const response = await fetch(target, { signal: AbortSignal.timeout(fetchTimeoutMs) });
        if (!response.ok) throw new Error(`JWKS ${target} answered HTTP ${response.status}`);
        const body = await response.arrayBuffer();
        keysLoaded = true;
        return body;
      },
    },
  });
  const verifier = CognitoJwtVerifier.create(
    {
      userPoolId: auth.userPoolId,
      tokenUse: "access",
      clientId: auth.clientId,
      graceSeconds: options.graceSeconds ?? 0,
    },
    { jwksCache },
  );
  return {
    async verify(token) {
      try {
        const payload = await verifier.verify(token);
        if (typeof payload.sub !== "string" || payload.sub === "") {
          throw invalidToken("token_malformed", new Error("no sub claim"));
        }
        return { sub: payload.sub };
      } catch (err) {
        if (err instanceof AppError) throw err;
        const code = refine(codeFor(err, keysLoaded), err, token, auth);
        throw code ? invalidToken(code, err) : authUnavailable(err);
      }
    },
    warm: () => verifier.hydrate(),
  };
}
