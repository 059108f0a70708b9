/** Where to go after signing in when no (usable) return path was given. */
export const DEFAULT_NEXT = "/";

const BASE = "http://same-origin.invalid";

/**
 * A return path that stays on this site: a relative path starting with one "/". Anything else (absolute
 * URLs, protocol-relative "//evil.example", "/\evil.example", which browsers read as "//", or control
 * characters) falls back to "/", so a crafted sign-in link cannot send people elsewhere.
 */
export function safeNextPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//")) return DEFAULT_NEXT;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return DEFAULT_NEXT;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return DEFAULT_NEXT;
  }
  if (url.origin !== BASE) return DEFAULT_NEXT;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Coming back to the sign-in or sign-out page after signing in would be a loop.
  if (url.pathname === "/sign-in" || url.pathname === "/sign-out") return DEFAULT_NEXT;
  return path;
}

/** /sign-in, with ?next= when the return path is not the default. */
export function signInPath(next: string): string {
  const safe = safeNextPath(next);
  return safe === DEFAULT_NEXT ? "/sign-in" : `/sign-in?next=${encodeURIComponent(safe)}`;
}
