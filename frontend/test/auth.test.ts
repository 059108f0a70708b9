// Signing in for real: the app in process against Cognito in the emulator (moto) and the stub backend.
import { expect } from "chai";
import {
  createTestUserPool,
  startEmulator,
  TEST_PASSWORD,
  type Emulator,
  type TestUserPool,
} from "@fargate-ai-stack/test-support";
import { openSession } from "../app/auth/session-cookie.server";
import { startFrontendInProcess, type InProcessFrontend } from "./support/frontend-app";
import { TEST_SESSION_SECRET, sessionCookie, testSession } from "./support/session";
import { startStubBackend, type StubBackend } from "./support/stub-backend";

/** The value of the cookie `name` from a response's Set-Cookie headers. */
function setCookie(res: Response, name: string): string | undefined {
  for (const header of res.headers.getSetCookie()) {
    const [pair] = header.split(";");
    if (pair!.startsWith(`${name}=`)) return pair!.slice(name.length + 1);
  }
  return undefined;
}

describe("signing in with Cognito (emulator)", function () {
  // Starting moto takes a few seconds on a busy 2-core machine.
  this.timeout(90_000);
  let emulator: Emulator;
  let pool: TestUserPool;
  let backend: StubBackend;
  let frontend: InProcessFrontend;
  let counter = 0;
  const newEmail = () => `user${++counter}-${Date.now()}@example.com`;

  before(async () => {
    emulator = await startEmulator();
    pool = await createTestUserPool(emulator);
    backend = await startStubBackend();
    frontend = await startFrontendInProcess(backend.url, {
      userPoolId: pool.poolId,
      clientId: pool.clientId,
      region: pool.region,
      endpoint: emulator.url,
      sessionSecret: TEST_SESSION_SECRET,
    });
  });
  after(async () => {
    await frontend?.close();
    await backend?.close();
    await emulator?.stop();
  });

  function post(path: string, fields: Record<string, string>, cookie = "") {
    return fetch(`${frontend.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: frontend.url, cookie },
      body: new URLSearchParams(fields).toString(),
      redirect: "manual",
    });
  }

  it("signs in with email and password and returns to `next` with an encrypted session cookie", async () => {
    const email = newEmail();
    await pool.addUser(email, TEST_PASSWORD);
    const res = await post("/sign-in", { intent: "password", email, password: TEST_PASSWORD, next: "/?c=1" });
    expect(res.status).to.equal(302);
    expect(res.headers.get("location")).to.equal("/?c=1");
    const value = setCookie(res, "session");
    expect(value, "session cookie").to.be.a("string");
    // Real moto tokens: the cookie stays well under the browsers' 4 KB.
    expect(`session=${value}`.length).to.be.below(4096);
    const session = await openSession(value!, TEST_SESSION_SECRET);
    expect(session?.email).to.equal(email);
    expect(session?.accessToken.split(".")).to.have.length(3);
    expect(session!.refreshExpiresAt - Date.now()).to.be.within(12 * 3600_000 - 60_000, 12 * 3600_000);

    const page = await fetch(`${frontend.url}/`, { headers: { cookie: `session=${value}` } });
    expect(page.status).to.equal(200);
    expect(await page.text()).to.include(email);
  });

  it("says only 'Incorrect email or password.' for a wrong password and for an unknown user", async () => {
    const email = newEmail();
    await pool.addUser(email, TEST_PASSWORD);
    for (const fields of [
      { email, password: "Wrong-Horse-7-Battery" },
      { email: "nobody@example.com", password: TEST_PASSWORD },
    ]) {
      const res = await post("/sign-in", { intent: "password", ...fields });
      expect(res.status).to.equal(400);
      const html = await res.text();
      expect(html).to.include("Incorrect email or password.");
      expect(html).not.to.include(fields.password);
      expect(setCookie(res, "session")).to.equal(undefined);
    }
  });

  it("asks for a new password after a temporary one, shows policy errors, then signs in", async () => {
    const email = newEmail();
    await pool.addUser(email, "Temporary-Pass-1", { temporary: true });
    const first = await post("/sign-in", { intent: "password", email, password: "Temporary-Pass-1" });
    expect(first.status).to.equal(200);
    const html = await first.text();
    expect(html).to.include("Choose a new password");
    expect(html).not.to.include("Temporary-Pass-1");
    const challenge = setCookie(first, "sign-in");
    expect(challenge, "challenge cookie").to.be.a("string");
    expect(first.headers.getSetCookie().join()).to.match(
      /sign-in=[^;]+; Path=\/; Max-Age=300; HttpOnly; SameSite=Lax/,
    );
    const cookie = `sign-in=${challenge}`;

    const mismatch = await post(
      "/sign-in",
      { intent: "new-password", newPassword: "A-Good-Password-9", confirmPassword: "other" },
      cookie,
    );
    expect(await mismatch.text()).to.include("The two passwords don&#x27;t match.");

    const weak = await post(
      "/sign-in",
      { intent: "new-password", newPassword: "short", confirmPassword: "short" },
      cookie,
    );
    expect(weak.status).to.equal(400);
    expect(await weak.text()).to.include("That password doesn&#x27;t meet the password policy");

    const done = await post(
      "/sign-in",
      {
        intent: "new-password",
        newPassword: "A-Good-Password-9",
        confirmPassword: "A-Good-Password-9",
        next: "/",
      },
      cookie,
    );
    expect(done.status).to.equal(302);
    expect(done.headers.get("location")).to.equal("/");
    expect((await openSession(setCookie(done, "session")!, TEST_SESSION_SECRET))?.email).to.equal(email);
    expect(setCookie(done, "sign-in"), "challenge cookie cleared").to.equal("");
    // The new password is now the password.
    expect((await pool.signIn(email, "A-Good-Password-9")).accessToken).to.be.a("string");
  });

  it("sends the new-password step back to the start when its challenge cookie is missing", async () => {
    const res = await post("/sign-in", {
      intent: "new-password",
      newPassword: "A-Good-Password-9",
      confirmPassword: "A-Good-Password-9",
    });
    expect(res.status).to.equal(400);
    const html = await res.text();
    expect(html).to.include("That took too long");
    expect(html).to.include('name="password"');
  });

  it("refreshes an access token that expires within 5 minutes and sets the new cookie", async () => {
    const email = newEmail();
    await pool.addUser(email, TEST_PASSWORD);
    const tokens = await pool.signIn(email, TEST_PASSWORD);
    const cookie = await sessionCookie(
      testSession({
        email,
        accessToken: "an-old-access-token",
        refreshToken: tokens.refreshToken,
        accessExpiresAt: Date.now() + 60_000,
      }),
    );
    backend.requests.length = 0;
    const res = await fetch(`${frontend.url}/api/models`, { headers: { cookie } });
    expect(res.status).to.equal(200);
    const refreshed = await openSession(setCookie(res, "session")!, TEST_SESSION_SECRET);
    expect(refreshed?.accessToken).to.not.equal("an-old-access-token");
    expect(refreshed!.accessExpiresAt - Date.now()).to.be.above(50 * 60_000);
    // The backend got the new token, not the one about to expire.
    expect(backend.requests.at(-1)?.headers.authorization).to.equal(`Bearer ${refreshed!.accessToken}`);

    // Pages refresh too.
    const page = await fetch(`${frontend.url}/`, { headers: { cookie } });
    expect(page.status).to.equal(200);
    expect(setCookie(page, "session")).to.be.a("string");
  });

  it("ends the session when Cognito refuses the refresh token and the access token has run out", async () => {
    // While the access token still has a minute, it is used and the cookie left alone.
    const expiring = await sessionCookie(
      testSession({ refreshToken: "not-a-refresh-token", accessExpiresAt: Date.now() + 60_000 }),
    );
    const still = await fetch(`${frontend.url}/api/models`, { headers: { cookie: expiring } });
    expect(still.status).to.equal(200);
    expect(still.headers.get("set-cookie")).to.equal(null);

    const cookie = await sessionCookie(
      testSession({ refreshToken: "not-a-refresh-token", accessExpiresAt: Date.now() - 1_000 }),
    );
    const api = await fetch(`${frontend.url}/api/models`, { headers: { cookie } });
    expect(api.status).to.equal(401);
    expect(setCookie(api, "session")).to.equal("");
    const page = await fetch(`${frontend.url}/`, { headers: { cookie }, redirect: "manual" });
    expect(page.status).to.equal(302);
    expect(page.headers.get("location")).to.equal("/sign-in");
  });

  it("signs out: the cookie is cleared and the page goes to /sign-in", async () => {
    const email = newEmail();
    await pool.addUser(email, TEST_PASSWORD);
    const signedIn = await post("/sign-in", { intent: "password", email, password: TEST_PASSWORD });
    const cookie = `session=${setCookie(signedIn, "session")}`;
    const out = await post("/sign-out", {}, cookie);
    expect(out.status).to.equal(302);
    expect(out.headers.get("location")).to.equal("/sign-in");
    expect(setCookie(out, "session")).to.equal("");
    // Gap: moto answers RevokeToken without revoking anything, so that a copy of the old cookie can no longer
    // be refreshed is only true in AWS; here only the call and the cleared cookie are checked.
  });
});
