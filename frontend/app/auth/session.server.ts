import { type AppLoadContext, redirect } from "@remix-run/node";
import { errorResponse } from "../proxy/errors.server";
import { cognitoErrorName, refreshSession } from "./cognito.server";
import { signInPath } from "./next-path";
import {
  commitSession,
  destroySession,
  openSession,
  readSessionCookie,
  type Session,
} from "./session-cookie.server";

/** Access tokens are renewed this long before they expire, so no backend call races the expiry. */
export const REFRESH_WITHIN_MS = 5 * 60_000;

export type SessionState =
  /** setCookie is set when the session was refreshed: the response must carry it. */
  | { signedIn: true; session: Session; setCookie?: string }
  /** setCookie clears a cookie that no longer opens a session. */
  | { signedIn: false; setCookie?: string };

/** The request's session, refreshed when its access token expires within 5 minutes. */
export async function loadSession(request: Request, context: AppLoadContext): Promise<SessionState> {
  const { auth, logger, requestId } = context;
  const value = readSessionCookie(request);
  if (!value) return { signedIn: false };
  const session = await openSession(value, auth.sessionSecret);
  // Tampered, from another secret, or past the refresh token's life.
  if (!session) return { signedIn: false, setCookie: destroySession(request) };
  if (session.accessExpiresAt - Date.now() > REFRESH_WITHIN_MS) return { signedIn: true, session };

  try {
    const fresh = await refreshSession(auth, session);
    return {
      signedIn: true,
      session: fresh,
      setCookie: await commitSession(request, fresh, auth.sessionSecret),
    };
  } catch (err) {
    const reason = cognitoErrorName(err);
    const refused = reason === "NotAuthorizedException";
    if (refused) logger.info("session refresh refused", { requestId, reason });
    else logger.warn("session refresh failed", { requestId, reason });
    // The current access token still works for its last minutes: use it, and leave the cookie alone. This
    // also covers two requests refreshing at once when Cognito rotates refresh tokens: the one that lost the
    // race must not clear the cookie the other one just set.
    if (session.accessExpiresAt > Date.now()) return { signedIn: true, session };
    // Revoked (signed out elsewhere), expired or rotated away: the session is over. Cognito unreachable:
    // keep the cookie, a later request may refresh it.
    return refused ? { signedIn: false, setCookie: destroySession(request) } : { signedIn: false };
  }
}

/**
 * For page loaders: the signed-in session and the headers the response must carry, or a redirect to the
 * sign-in page that comes back here afterwards.
 */
export async function requireSession(
  request: Request,
  context: AppLoadContext,
): Promise<{ session: Session; headers: Headers }> {
  const state = await loadSession(request, context);
  const headers = new Headers();
  if (state.setCookie) headers.append("Set-Cookie", state.setCookie);
  if (!state.signedIn) {
    const url = new URL(request.url);
    throw redirect(signInPath(`${url.pathname}${url.search}`), { headers });
  }
  return { session: state.session, headers };
}

/** The answer to an /api/* request without a session; the browser goes to the sign-in page on it. */
export function notSignedIn(setCookie?: string): Response {
  const response = errorResponse(
    401,
    "not_signed_in",
    "You are not signed in, or your session has ended. Please sign in again.",
  );
  if (setCookie) response.headers.append("Set-Cookie", setCookie);
  return response;
}
