import { z } from "zod";
import { clearCookie, readCookie, serializeCookie } from "./cookies.server";
import { cookieKey } from "./keys.server";
import { seal, unseal } from "./sealed.server";

/** Cognito's challenge sessions last 3 minutes by default; a little longer here lets Cognito say "expired". */
const CHALLENGE_LIFETIME_SECONDS = 5 * 60;

/** Which answer Cognito waits for. */
export type ChallengeStep = "new-password" | "mfa-setup" | "mfa-code";

/** Between two sign-in steps: Cognito's challenge session, never in the page. */
export interface PendingChallenge {
  step: ChallengeStep;
  challengeSession: string;
  username: string;
  email: string;
  /**
   * mfa-setup only: the TOTP secret from AssociateSoftwareToken, kept so a wrong code can show the same key
   * again (a second AssociateSoftwareToken would replace the one already added to the app).
   */
  secretCode?: string;
}

const claimsSchema = z.object({
  // Cookies made before MFA existed carry no step: they can only be the new-password step.
  st: z.enum(["new-password", "mfa-setup", "mfa-code"]).default("new-password"),
  s: z.string().min(1),
  u: z.string().min(1),
  email: z.string(),
  k: z.string().min(1).optional(),
});

export async function commitChallenge(
  request: Request,
  challenge: PendingChallenge,
  secret: string,
): Promise<string> {
  const value = await seal(
    {
      st: challenge.step,
      s: challenge.challengeSession,
      u: challenge.username,
      email: challenge.email,
      ...(challenge.secretCode ? { k: challenge.secretCode } : {}),
    },
    cookieKey(secret, "sign-in-challenge"),
    new Date(Date.now() + CHALLENGE_LIFETIME_SECONDS * 1000),
  );
  return serializeCookie(request, "sign-in", value, CHALLENGE_LIFETIME_SECONDS);
}

export async function readChallenge(request: Request, secret: string): Promise<PendingChallenge | undefined> {
  const value = readCookie(request, "sign-in");
  if (!value) return undefined;
  const parsed = claimsSchema.safeParse(await unseal(value, cookieKey(secret, "sign-in-challenge")));
  if (!parsed.success) return undefined;
  const { st, s, u, email, k } = parsed.data;
  return { step: st, challengeSession: s, username: u, email, ...(k ? { secretCode: k } : {}) };
}

export function clearChallenge(request: Request): string {
  return clearCookie(request, "sign-in");
}
