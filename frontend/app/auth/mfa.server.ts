import {
  AssociateSoftwareTokenCommand,
  RespondToAuthChallengeCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { AuthConfig } from "../../server/config";
import { challengeOrSignedIn, cognito, type NewPasswordResult } from "./cognito.server";

/** The name the authenticator is filed under in Cognito (the user can have only one). */
const DEVICE_NAME = "Authenticator app";

interface Challenge {
  challengeSession: string;
  username: string;
}

/** The TOTP secret for a new authenticator, and the session to verify it with. */
export async function startMfaSetup(
  config: AuthConfig,
  challenge: Challenge,
): Promise<{ secretCode: string; challengeSession: string }> {
  const answer = await cognito(config).send(
    new AssociateSoftwareTokenCommand({ Session: challenge.challengeSession }),
  );
  if (!answer.SecretCode) throw new Error("Cognito returned no secret for the authenticator");
  return { secretCode: answer.SecretCode, challengeSession: answer.Session ?? challenge.challengeSession };
}

/** Checks the first code from the new authenticator, then completes the MFA_SETUP challenge with it. */
export async function finishMfaSetup(
  config: AuthConfig,
  challenge: Challenge,
  code: string,
): Promise<NewPasswordResult> {
  const client = cognito(config);
  const verified = await client.send(
    new VerifySoftwareTokenCommand({
      Session: challenge.challengeSession,
      UserCode: code,
      FriendlyDeviceName: DEVICE_NAME,
    }),
  );
  if (verified.Status !== "SUCCESS" || !verified.Session) {
    // Cognito's way of saying the code was wrong without an exception.
    throw Object.assign(new Error("The authenticator's code was not accepted"), {
      name: "CodeMismatchException",
    });
  }
  const answer = await client.send(
    new RespondToAuthChallengeCommand({
      ChallengeName: "MFA_SETUP",
      ClientId: config.clientId,
      Session: verified.Session,
      ChallengeResponses: { USERNAME: challenge.username },
    }),
  );
  return onlyTokens(challengeOrSignedIn(answer, challenge.username));
}

/** Answers SOFTWARE_TOKEN_MFA with the current code from the user's authenticator. */
export async function answerMfaCode(
  config: AuthConfig,
  challenge: Challenge,
  code: string,
): Promise<NewPasswordResult> {
  const answer = await cognito(config).send(
    new RespondToAuthChallengeCommand({
      ChallengeName: "SOFTWARE_TOKEN_MFA",
      ClientId: config.clientId,
      Session: challenge.challengeSession,
      ChallengeResponses: { USERNAME: challenge.username, SOFTWARE_TOKEN_MFA_CODE: code },
    }),
  );
  return onlyTokens(challengeOrSignedIn(answer, challenge.username));
}

/** After an MFA answer only tokens make sense; another challenge would loop. */
function onlyTokens(result: ReturnType<typeof challengeOrSignedIn>): NewPasswordResult {
  if (result.kind === "signed-in" || result.kind === "unsupported-challenge") return result;
  return { kind: "unsupported-challenge", challenge: result.kind };
}

/** Exactly six digits, as authenticator apps show them (spaces people type are dropped first). */
export function normalizeCode(input: string): string | undefined {
  const code = input.replace(/\s+/g, "");
  return /^[0-9]{6}$/.test(code) ? code : undefined;
}
