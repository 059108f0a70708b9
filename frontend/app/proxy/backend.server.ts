import type { AppLoadContext } from "@remix-run/node";
import { errorResponse } from "./errors.server";

/** Response headers worth passing to the browser; hop-by-hop and encoding headers are not. */
const FORWARDED_RESPONSE_HEADERS = ["content-type", "cache-control", "retry-after"];

export interface ProxyOptions {
  /** Path on the backend, e.g. /api/chat */
  path: string;
  method: "GET" | "POST";
  body?: Uint8Array<ArrayBuffer>;
  /**
   * How long to wait for the backend's response headers. The backend enforces its own upstream timeouts
   * and answers with JSON errors, so this only guards against a backend that accepted and then hung.
   */
  headersTimeoutMs: number;
  /** The signed-in person's Cognito access token, sent as `Authorization: Bearer`. */
  accessToken: string;
}

/**
 * Forwards a request to the backend and returns its response with the body as a stream, untouched, so
 * Server-Sent Events reach the browser token by token. The browser's abort signal (Stop, closed tab) is
 * forwarded, which ends the upstream request and, through the backend, the OpenAI call.
 */
export async function proxyToBackend(
  request: Request,
  context: AppLoadContext,
  options: ProxyOptions,
): Promise<Response> {
  const { backendUrl, logger, requestId } = context;
  const url = new URL(options.path, backendUrl);
  const controller = new AbortController();
  const onClientAbort = (): void => controller.abort(request.signal.reason);
  if (request.signal.aborted) onClientAbort();
  request.signal.addEventListener("abort", onClientAbort, { once: true });
  let timedOut = false;
  const headersTimer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error("backend response headers timeout"));
  }, options.headersTimeoutMs);

  const headers = new Headers({
    accept: request.headers.get("accept") ?? "*/*",
    // Identity keeps the stream byte-for-byte and lets each event be flushed as soon as it arrives.
    "accept-encoding": "identity",
    "x-request-id": requestId,
    authorization: `Bearer ${options.accessToken}`,
  });
  // The backend trusts one proxy hop (us) and logs this address; without it every request would carry the
  // frontend task's address.
  if (context.clientIp) headers.set("x-forwarded-for", context.clientIp);
  const contentType = request.headers.get("content-type");
  if (contentType) headers.set("content-type", contentType);

  let upstream: Response;
  try {
    upstream = await fetch(url, {
      method: options.method,
      headers,
      body: options.body,
      signal: controller.signal,
      redirect: "manual",
    });
  } catch (err) {
    request.signal.removeEventListener("abort", onClientAbort);
    if (request.signal.aborted) {
      logger.info("client closed request before the backend answered", { requestId, path: options.path });
      // Nobody is listening any more; 499 is the de-facto status for "client closed request".
      return new Response(null, { status: 499 });
    }
    if (timedOut) {
      logger.warn("backend did not answer in time", {
        requestId,
        url: url.href,
        timeoutMs: options.headersTimeoutMs,
      });
      return errorResponse(
        504,
        "backend_timeout",
        "The chat service took too long to answer. Please try again.",
      );
    }
    logger.warn("backend unreachable", { requestId, url: url.href, cause: describeCause(err) });
    return errorResponse(
      502,
      "backend_unreachable",
      "The chat service can't be reached right now. It may be restarting; please try again shortly.",
    );
  } finally {
    clearTimeout(headersTimer);
  }

  const responseHeaders = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) responseHeaders.set(name, value);
  }
  if (responseHeaders.get("content-type")?.startsWith("text/event-stream")) {
    // Tell any proxy in between (nginx, CDNs) not to buffer or transform the stream.
    responseHeaders.set("cache-control", "no-cache, no-transform");
    responseHeaders.set("x-accel-buffering", "no");
  }
  return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
}

function describeCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
