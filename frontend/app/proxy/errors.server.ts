/** The same error body shape as the backend, so the browser handles both with one code path. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { error: { code, message } },
    { status, headers: { "Cache-Control": "no-store", ...headers } },
  );
}

export function methodNotAllowed(allow: string): Response {
  return errorResponse(405, "method_not_allowed", `Use ${allow} for this endpoint.`, { Allow: allow });
}
