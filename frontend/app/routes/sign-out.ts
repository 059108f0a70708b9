import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { cognitoErrorName, revokeSession } from "../auth/cognito.server";
import { openSession, readSessionCookie, destroySession } from "../auth/session-cookie.server";

/** POST /sign-out (same-origin only, see server/same-origin.ts): revokes the refresh token at Cognito, clears the cookie and goes to the sign-in page. */
export async function action({ request, context }: ActionFunctionArgs) {
  const value = readSessionCookie(request);
  const session = value ? await openSession(value, context.auth.sessionSecret) : undefined;
  if (session) {
    try {
      await revokeSession(context.auth, session);
    } catch (err) {
      // The cookie goes anyway; the access token then lives out its hour, the refresh token its 12.
      context.logger.warn("token revocation failed", {
        requestId: context.requestId,
        reason: cognitoErrorName(err),
      });
    }
  }
  return redirect("/sign-in", { headers: { "Set-Cookie": destroySession(request) } });
}

/** Signing out changes state, so only POST does it; a stray GET just goes home. */
export function loader() {
  return redirect("/");
}
