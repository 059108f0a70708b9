/**
 * CSRF protection for every POST: browsers send Origin with every POST (forms and fetch alike), and a page on
 * another site cannot forge it. SameSite=Lax already keeps the session cookie off cross-site POSTs; this also
 * covers same-site attackers (a sibling subdomain) and browsers without SameSite. A missing Origin is refused.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  return origin !== null && origin === new URL(request.url).origin;
}

/** For form actions: a plain 403 for cross-origin posts. */
export function assertSameOrigin(request: Request): void {
  if (!isSameOrigin(request)) {
    throw new Response("This form was sent from another site.", {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
}
