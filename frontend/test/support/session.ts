import { sealSession, type Session } from "../../app/auth/session-cookie.server";

/** The SESSION_SECRET of the in-process and spawned frontends in these tests. */
export const TEST_SESSION_SECRET = "test-session-secret-0123456789abcdefghijklmnop";

/** A session as the frontend would have made it at sign-in; the tokens are whatever the test needs. */
export function testSession(overrides: Partial<Session> = {}): Session {
  const now = Date.now();
  return {
    email: "ada@example.com",
    accessToken: "access-token-for-tests",
    accessExpiresAt: now + 60 * 60_000,
    refreshToken: "refresh-token-for-tests",
    refreshExpiresAt: now + 12 * 60 * 60_000,
    ...overrides,
  };
}

/** A Cookie header carrying `session` (plain-HTTP name: the tests talk to 127.0.0.1 over http). */
export async function sessionCookie(
  session: Session = testSession(),
  secret = TEST_SESSION_SECRET,
): Promise<string> {
  return `session=${await sealSession(session, secret)}`;
}
