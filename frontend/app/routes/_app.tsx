import { data, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { requireSession } from "../auth/session.server";

/**
 * Every page under this pathless layout needs a session: without one the loader redirects to /sign-in and
 * back. A refreshed session's cookie rides on the response (Remix keeps loaders' Set-Cookie headers).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { session, headers } = await requireSession(request, context);
  return data({ email: session.email }, { headers });
}

/** Pages name the signed-in person: never store them in a shared cache. */
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export default function SignedIn() {
  return <Outlet />;
}
