import type { LoaderFunctionArgs } from "@remix-run/node";
import { proxyWithSession } from "../proxy/authenticated.server";

/** GET /api/budget → ${BACKEND_URL}/api/budget: what is left of today's token budget. */
export function loader({ request, context }: LoaderFunctionArgs): Promise<Response> {
  return proxyWithSession(request, context, { path: "/api/budget", method: "GET", headersTimeoutMs: 10_000 });
}
