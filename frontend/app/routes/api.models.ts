import type { LoaderFunctionArgs } from "@remix-run/node";
import { proxyWithSession } from "../proxy/authenticated.server";

/** GET /api/models → ${BACKEND_URL}/api/models */
export function loader({ request, context }: LoaderFunctionArgs): Promise<Response> {
  return proxyWithSession(request, context, { path: "/api/models", method: "GET", headersTimeoutMs: 10_000 });
}
