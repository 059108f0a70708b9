/**
 * Cookie names and attributes. Over HTTPS (the ALB with a certificate: Remix sees https when X-Forwarded-Proto
 * says so, see trust proxy in server/app.ts) cookies are Secure and carry the __Host- prefix, which browsers
 * only accept with Secure, Path=/ and no Domain: no subdomain and no plain-HTTP page can plant or overwrite
 * them. Over plain HTTP (local development, the tests) the prefix is impossible, so the bare name is used.
 */
export type CookieName = "session" | "sign-in";

export function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

export function cookieName(request: Request, name: CookieName): string {
  return isHttps(request) ? `__Host-${name}` : name;
}

/** The value of one cookie from the request's Cookie header. */
export function readCookie(request: Request, name: CookieName): string | undefined {
  const wanted = cookieName(request, name);
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === wanted) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** A Set-Cookie value: HttpOnly (no script can read the tokens), SameSite=Lax (no cross-site POSTs). */
export function serializeCookie(
  request: Request,
  name: CookieName,
  value: string,
  maxAgeSeconds: number,
): string {
  const attributes = [
    `${cookieName(request, name)}=${value}`,
    "Path=/",
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    "HttpOnly",
    "SameSite=Lax",
  ];
  if (isHttps(request)) attributes.push("Secure");
  return attributes.join("; ");
}

export function clearCookie(request: Request, name: CookieName): string {
  return serializeCookie(request, name, "", 0);
}
