// TOTP MFA at sign-in: the app in process against Cognito in its own emulator, one that checks the codes.
import { expect } from "chai";
import { openSession } from "../app/auth/session-cookie.server";
import { groupedSecret, otpauthUri } from "../app/auth/totp-setup";
import { secretIn, startMfaFrontend, type MfaFrontend } from "./support/mfa-pool";
import { TEST_SESSION_SECRET } from "./support/session";
import { freshTotp, wrongTotp } from "./support/totp";

function setCookie(res: Response, name: string): string | undefined {
  for (const header of res.headers.getSetCookie()) {
    const [pair] = header.split(";");
    if (pair!.startsWith(`${name}=`)) return pair!.slice(name.length + 1);
  }
  return undefined;
}

describe("TOTP MFA at sign-in (emulator)", function () {
  this.timeout(90_000);
  let app: MfaFrontend;
  /** Set up by the first test, signed in with a code by the next. */
  const account = { email: `mfa-${Date.now()}@example.com`, password: "A-Good-Password-9", secret: "" };

  before(async () => {
    app = await startMfaFrontend();
  });
  after(() => app?.close());

  function post(fields: Record<string, string>, cookie = "") {
    return fetch(`${app.url}/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url, cookie },
      body: new URLSearchParams(fields).toString(),
      redirect: "manual",
    });
  }

  it("first sign-in with a temporary password: new password, then authenticator setup, then signed in", async () => {
    const { email, password } = account;
    await app.pool.addUser(email, "Temporary-Pass-1", { temporary: true });
    const first = await post({ intent: "password", email, password: "Temporary-Pass-1" });
    expect(await first.text()).to.include("Choose a new password");
    const newPassword = await post(
      { intent: "new-password", newPassword: password, confirmPassword: password },
      `sign-in=${setCookie(first, "sign-in")}`,
    );
    expect(newPassword.status).to.equal(200);
    const html = await newPassword.text();
    expect(html).to.include("Set up your authenticator app");
    const secret = secretIn(html);
    account.secret = secret;
    expect(html).to.include(groupedSecret(secret));
    expect(html).to.include(otpauthUri(email, secret).replaceAll("&", "&amp;"));
    const codeInput = /<input[^>]*name="code"[^>]*>/.exec(html)?.[0] ?? "";
    expect(codeInput).to.include('inputMode="numeric"').and.include('autoComplete="one-time-code"');
    const challenge = setCookie(newPassword, "sign-in");
    expect(challenge, "challenge cookie for the setup step").to.be.a("string").and.not.equal("");
    // The Cognito session stays in the sealed cookie.
    expect(html).not.to.include(challenge!);
    const cookie = `sign-in=${challenge}`;

    const malformed = await post({ intent: "mfa-setup", code: "12ab56" }, cookie);
    expect(malformed.status).to.equal(400);
    const malformedHtml = await malformed.text();
    expect(malformedHtml).to.include("Enter the 6-digit code from your authenticator app.");
    // The same key again, so the person can still add it.
    expect(secretIn(malformedHtml)).to.equal(secret);

    const wrong = await post({ intent: "mfa-setup", code: wrongTotp(secret) }, cookie);
    expect(wrong.status).to.equal(400);
    expect(await wrong.text()).to.include("That code isn&#x27;t right.");

    const done = await post({ intent: "mfa-setup", code: await freshTotp(secret), next: "/?c=2" }, cookie);
    expect(done.status).to.equal(302);
    expect(done.headers.get("location")).to.equal("/?c=2");
    expect((await openSession(setCookie(done, "session")!, TEST_SESSION_SECRET))?.email).to.equal(email);
    expect(setCookie(done, "sign-in"), "challenge cookie cleared").to.equal("");
  });

  it("a later sign-in asks for the code: a wrong one is refused clearly, the right one signs in", async () => {
    const { email, password, secret } = account;
    expect(secret, "set up by the previous test").to.not.equal("");
    const first = await post({ intent: "password", email, password });
    expect(first.status).to.equal(200);
    const html = await first.text();
    expect(html).to.include("Enter your code");
    expect(html).not.to.include("otpauth://");
    const cookie = `sign-in=${setCookie(first, "sign-in")}`;

    const wrong = await post({ intent: "mfa-code", code: wrongTotp(secret) }, cookie);
    expect(wrong.status).to.equal(400);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).to.include("That code isn&#x27;t right.");
    expect(wrongHtml).to.include('name="code"');

    const tooShort = await post({ intent: "mfa-code", code: "12345" }, cookie);
    expect(await tooShort.text()).to.include("Enter the 6-digit code");

    // Spaces, as some apps show "123 456", are fine.
    const code = await freshTotp(secret);
    const done = await post(
      { intent: "mfa-code", code: `${code.slice(0, 3)} ${code.slice(3)}`, next: "/" },
      cookie,
    );
    expect(done.status).to.equal(302);
    expect((await openSession(setCookie(done, "session")!, TEST_SESSION_SECRET))?.email).to.equal(email);
  });

  it("a code step without its challenge cookie, or with another step's, starts again", async () => {
    const missing = await post({ intent: "mfa-code", code: "123456" });
    expect(missing.status).to.equal(400);
    const html = await missing.text();
    expect(html).to.include("That took too long. Sign in again");
    expect(html).to.include('name="password"');

    // The setup step's cookie does not answer the code step.
    const email = `mfa-other-${Date.now()}@example.com`;
    await app.pool.addUser(email, "Temporary-Pass-2", { temporary: true });
    const first = await post({ intent: "password", email, password: "Temporary-Pass-2" });
    const wrongStep = await post(
      { intent: "mfa-code", code: "123456" },
      `sign-in=${setCookie(first, "sign-in")}`,
    );
    expect(wrongStep.status).to.equal(400);
    expect(await wrongStep.text()).to.include("That took too long. Sign in again");
    expect(setCookie(wrongStep, "sign-in")).to.equal("");
  });
});
