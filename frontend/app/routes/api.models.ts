import type { LoaderFunctionArgs } from "@remix-run/node";
import { proxyToBackend } from "../proxy/backend.server";

/** GET /api/models → ${BACKEND_URL}/api/models */
export function loader({ request, context }: LoaderFunctionArgs): Promise<Response> {
  return proxyToBackend(request, context, { path: "/api/models", method: "GET", headersTimeoutMs: 10_000 });
}
