import type { AppLoadContext } from "@remix-run/node";
import { destroySession } from "../auth/session-cookie.server";
import { loadSession, notSignedIn, type SessionState } from "../auth/session.server";
import { proxyToBackend, type ProxyOptions } from "./backend.server";

type SignedIn = Extract<SessionState, { signedIn: true }>;

/**
 * The session of an /api/* request, or the answer to send instead: 401 `not_signed_in` without one. Checked
 * before a request body is read. (Cross-origin POSTs never get here: see server/same-origin.ts.)
 */
export async function authenticateApi(
  request: Request,
  context: AppLoadContext,
): Promise<{ ok: true; state: SignedIn } | { ok: false; response: Response }> {
  const state = await loadSession(request, context);
  if (!state.signedIn) return { ok: false, response: notSignedIn(state.setCookie) };
  return { ok: true, state };
}

/**
 * Proxies with the access token and puts a refreshed session's cookie on the answer. A 401 from the backend
 * (token revoked, expired, from another pool) ends the session here too, so the browser signs in again
 * instead of failing on every call.
 */
export async function proxyAuthenticated(
  request: Request,
  context: AppLoadContext,
  state: SignedIn,
  options: Omit<ProxyOptions, "accessToken">,
): Promise<Response> {
  const response = await proxyToBackend(request, context, {
    ...options,
    accessToken: state.session.accessToken,
  });
  if (response.status === 401) {
    const code = await backendCode(response);
    context.logger.info("backend refused the session", { requestId: context.requestId, code });
    return notSignedIn(destroySession(request));
  }
  if (state.setCookie) response.headers.append("Set-Cookie", state.setCookie);
  return response;
}

/** authenticateApi, then proxyAuthenticated: for requests without a body. */
export async function proxyWithSession(
  request: Request,
  context: AppLoadContext,
  options: Omit<ProxyOptions, "accessToken" | "body">,
): Promise<Response> {
  const auth = await authenticateApi(request, context);
  if (!auth.ok) return auth.response;
  return proxyAuthenticated(request, context, auth.state, options);
}

/** The backend's 401 code (token_expired, token_wrong_issuer, …), for the log. */
async function backendCode(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: unknown } } | undefined;
  return typeof body?.error?.code === "string" ? body.error.code : "unknown";
}
