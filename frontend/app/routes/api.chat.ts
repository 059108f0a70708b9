import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateApi, proxyAuthenticated } from "../proxy/authenticated.server";
import { errorResponse, methodNotAllowed } from "../proxy/errors.server";
import { BodyTooLargeError, readBodyWithLimit } from "../proxy/read-body.server";

/** Generous for a long conversation; the backend applies its own, possibly stricter, limit. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Above the backend's own upstream timeout, so the backend's clearer 504 wins. */
const HEADERS_TIMEOUT_MS = 120_000;

/** POST /api/chat → ${BACKEND_URL}/api/chat with the session's access token, streamed back unchanged. */
export async function action({ request, context }: ActionFunctionArgs): Promise<Response> {
  if (request.method !== "POST") return methodNotAllowed("POST");
  // Before reading the body: nobody without a session gets to upload a megabyte.
  const auth = await authenticateApi(request, context);
  if (!auth.ok) return auth.response;
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await readBodyWithLimit(request, MAX_BODY_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      // The rest of the upload is unread: close the connection rather than reuse it.
      return errorResponse(
        413,
        "payload_too_large",
        "This conversation is too long to send in one request.",
        {
          Connection: "close",
        },
      );
    }
    throw err;
  }
  return proxyAuthenticated(request, context, auth.state, {
    path: "/api/chat",
    method: "POST",
    body,
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
  });
}

export function loader(): Response {
  return methodNotAllowed("POST");
}
