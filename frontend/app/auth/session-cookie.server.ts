import { z } from "zod";
import { clearCookie, readCookie, serializeCookie } from "./cookies.server";
import { cookieKey } from "./keys.server";
import { seal, unseal } from "./sealed.server";

/** The contract's refresh token lifetime: the session (and its cookie) ends with the refresh token. */
export const REFRESH_TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

/** What the session cookie holds. The ID token is not kept: only its email claim is, to stay under 4 KB. */
export interface Session {
  email: string;
  accessToken: string;
  /** Epoch milliseconds. */
  accessExpiresAt: number;
  refreshToken: string;
  /** Epoch milliseconds; the end of the session. */
  refreshExpiresAt: number;
}

const claimsSchema = z.object({
  email: z.string(),
  at: z.string().min(1),
  atExp: z.number(),
  rt: z.string().min(1),
  exp: z.number(),
});

export async function sealSession(session: Session, secret: string): Promise<string> {
  return seal(
    {
      email: session.email,
      at: session.accessToken,
      atExp: session.accessExpiresAt,
      rt: session.refreshToken,
    },
    cookieKey(secret, "session"),
    new Date(session.refreshExpiresAt),
  );
}

/** The session in a cookie value, or undefined when it is not one this server made with this secret. */
export async function openSession(
  value: string,
  secret: string,
  now = Date.now(),
): Promise<Session | undefined> {
  const parsed = claimsSchema.safeParse(await unseal(value, cookieKey(secret, "session"), now));
  if (!parsed.success) return undefined;
  const { email, at, atExp, rt, exp } = parsed.data;
  return { email, accessToken: at, accessExpiresAt: atExp, refreshToken: rt, refreshExpiresAt: exp * 1000 };
}

export function readSessionCookie(request: Request): string | undefined {
  return readCookie(request, "session");
}

/** Set-Cookie for the session; it lives exactly as long as the refresh token. */
export async function commitSession(request: Request, session: Session, secret: string): Promise<string> {
  const maxAge = (session.refreshExpiresAt - Date.now()) / 1000;
  return serializeCookie(request, "session", await sealSession(session, secret), maxAge);
}

export function destroySession(request: Request): string {
  return clearCookie(request, "session");
}
