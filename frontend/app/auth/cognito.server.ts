import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  type AuthenticationResultType,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import type { AuthConfig } from "../../server/config";
import { REFRESH_TOKEN_LIFETIME_SECONDS, type Session } from "./session-cookie.server";

const clients = new WeakMap<AuthConfig, CognitoIdentityProviderClient>();

/**
 * One client per configuration. InitiateAuth, RespondToAuthChallenge, RevokeToken and the software-token calls
 * are unsigned (the password, token or challenge session is the credential), so no AWS credentials are needed;
 * the app client has no secret.
 */
export function cognito(config: AuthConfig): CognitoIdentityProviderClient {
  let client = clients.get(config);
  if (!client) {
    client = new CognitoIdentityProviderClient({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
    });
    clients.set(config, client);
  }
  return client;
}

export type SignInResult =
  | { kind: "signed-in"; session: Session }
  /** The user has a temporary password and must choose a new one; `session` is Cognito's challenge session. */
  | { kind: "new-password-required"; challengeSession: string; username: string }
  /** MFA is required and the user has no authenticator yet: one must be added (AssociateSoftwareToken). */
  | { kind: "mfa-setup"; challengeSession: string; username: string }
  /** The user has an authenticator: Cognito waits for its current code. */
  | { kind: "mfa-code"; challengeSession: string; username: string }
  /** A challenge this app does not answer (SMS, custom challenges and the like). */
  | { kind: "unsupported-challenge"; challenge: string };

/** How the new-password step can end. */
export type NewPasswordResult = Exclude<SignInResult, { kind: "new-password-required" }>;

/** A sign-in that is not finished yet: Cognito waits for another answer. */
export type ChallengeResult = Extract<SignInResult, { challengeSession: string }>;

/** Cognito's answer as a result: tokens, a challenge this app answers, or one it does not. */
export function challengeOrSignedIn(
  answer: {
    AuthenticationResult?: AuthenticationResultType;
    ChallengeName?: string;
    Session?: string;
    ChallengeParameters?: Record<string, string>;
  },
  username: string,
): SignInResult {
  if (answer.AuthenticationResult) return signedIn(answer.AuthenticationResult);
  const kind = CHALLENGES[answer.ChallengeName ?? ""];
  if (kind && answer.Session) {
    // Cognito names the user by its internal name (the sub when email is the user name).
    return {
      kind,
      challengeSession: answer.Session,
      username: answer.ChallengeParameters?.USER_ID_FOR_SRP ?? username,
    };
  }
  return { kind: "unsupported-challenge", challenge: answer.ChallengeName ?? "none" };
}

const CHALLENGES: Record<string, ChallengeResult["kind"] | undefined> = {
  NEW_PASSWORD_REQUIRED: "new-password-required",
  MFA_SETUP: "mfa-setup",
  SOFTWARE_TOKEN_MFA: "mfa-code",
};

export async function signInWithPassword(
  config: AuthConfig,
  email: string,
  password: string,
): Promise<SignInResult> {
  const answer = await cognito(config).send(
    new InitiateAuthCommand({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: config.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  return challengeOrSignedIn(answer, email);
}

export async function setNewPassword(
  config: AuthConfig,
  challenge: { challengeSession: string; username: string },
  newPassword: string,
): Promise<NewPasswordResult> {
  const answer = await cognito(config).send(
    new RespondToAuthChallengeCommand({
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      ClientId: config.clientId,
      Session: challenge.challengeSession,
      ChallengeResponses: { USERNAME: challenge.username, NEW_PASSWORD: newPassword },
    }),
  );
  const result = challengeOrSignedIn(answer, challenge.username);
  // Cognito does not ask for a new password twice.
  return result.kind === "new-password-required"
    ? { kind: "unsupported-challenge", challenge: "NEW_PASSWORD_REQUIRED" }
    : result;
}

/** New access (and ID) tokens for a session; Cognito may rotate the refresh token too. */
export async function refreshSession(config: AuthConfig, session: Session): Promise<Session> {
  const answer = await cognito(config).send(
    new InitiateAuthCommand({
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: config.clientId,
      AuthParameters: { REFRESH_TOKEN: session.refreshToken },
    }),
  );
  const result = answer.AuthenticationResult;
  if (!result?.AccessToken) throw new Error("Cognito returned no access token for the refresh token");
  return {
    email: result.IdToken ? emailOf(result.IdToken) : session.email,
    accessToken: result.AccessToken,
    accessExpiresAt: Date.now() + (result.ExpiresIn ?? 3600) * 1000,
    refreshToken: result.RefreshToken ?? session.refreshToken,
    // A rotated refresh token is not given a longer life here: a session lasts 12 h from sign-in at most.
    refreshExpiresAt: session.refreshExpiresAt,
  };
}

/** Ends the refresh token (and the access tokens issued from it) at Cognito. */
export async function revokeSession(config: AuthConfig, session: Session): Promise<void> {
  await cognito(config).send(
    new RevokeTokenCommand({ ClientId: config.clientId, Token: session.refreshToken }),
  );
}

function signedIn(result: AuthenticationResultType): { kind: "signed-in"; session: Session } {
  if (!result.AccessToken || !result.RefreshToken || !result.IdToken) {
    throw new Error("Cognito's sign-in answer lacks a token");
  }
  const now = Date.now();
  return {
    kind: "signed-in",
    session: {
      email: emailOf(result.IdToken),
      accessToken: result.AccessToken,
      accessExpiresAt: now + (result.ExpiresIn ?? 3600) * 1000,
      refreshToken: result.RefreshToken,
      refreshExpiresAt: now + REFRESH_TOKEN_LIFETIME_SECONDS * 1000,
    },
  };
}

/**
 * The ID token's email claim. Not verified here: the token came straight from Cognito over TLS in answer to
 * this server's own call, and only the email for display is taken from it; the backend verifies every access
 * token it is sent.
 */
function emailOf(idToken: string): string {
  const email = decodeJwt(idToken).email;
  return typeof email === "string" ? email : "";
}

/** The exception name of a failed Cognito call (e.g. NotAuthorizedException), for mapping and for logs. */
export function cognitoErrorName(err: unknown): string {
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : "UnknownError";
}
