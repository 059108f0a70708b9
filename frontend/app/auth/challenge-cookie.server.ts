import { z } from "zod";
import { clearCookie, readCookie, serializeCookie } from "./cookies.server";
import { cookieKey } from "./keys.server";
import { seal, unseal } from "./sealed.server";

/** Cognito's challenge sessions last 3 minutes by default; a little longer here lets Cognito say "expired". */
const CHALLENGE_LIFETIME_SECONDS = 5 * 60;

/** Between the password and the "choose a new password" step: Cognito's challenge session, never in the page. */
export interface PendingChallenge {
  challengeSession: string;
  username: string;
  email: string;
}

const claimsSchema = z.object({ s: z.string().min(1), u: z.string().min(1), email: z.string() });

export async function commitChallenge(
  request: Request,
  challenge: PendingChallenge,
  secret: string,
): Promise<string> {
  const value = await seal(
    { s: challenge.challengeSession, u: challenge.username, email: challenge.email },
    cookieKey(secret, "sign-in-challenge"),
    new Date(Date.now() + CHALLENGE_LIFETIME_SECONDS * 1000),
  );
  return serializeCookie(request, "sign-in", value, CHALLENGE_LIFETIME_SECONDS);
}

export async function readChallenge(request: Request, secret: string): Promise<PendingChallenge | undefined> {
  const value = readCookie(request, "sign-in");
  if (!value) return undefined;
  const parsed = claimsSchema.safeParse(await unseal(value, cookieKey(secret, "sign-in-challenge")));
  return parsed.success
    ? { challengeSession: parsed.data.s, username: parsed.data.u, email: parsed.data.email }
    : undefined;
}

export function clearChallenge(request: Request): string {
  return clearCookie(request, "sign-in");
}
