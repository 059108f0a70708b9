import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { safeNextPath, signInPath } from "../app/auth/next-path";
import { commitSession, openSession, sealSession } from "../app/auth/session-cookie.server";
import { normalizeCode } from "../app/auth/mfa.server";
import {
  mfaStepProblem,
  newPasswordStepProblem,
  passwordStepProblem,
} from "../app/auth/sign-in-errors.server";
import { groupedSecret, otpauthUri } from "../app/auth/totp-setup";
import { TEST_SESSION_SECRET, testSession } from "./support/session";

/** `chars` characters of random base64url: as incompressible as a token's signature or ciphertext. */
function noise(chars: number): string {
  return randomBytes(chars).toString("base64url").slice(0, chars);
}

/** A JWT of the given length in characters (header.payload.signature), as incompressible as a real one. */
function jwtOfLength(length: number): string {
  const body = noise(length - 2);
  const a = Math.floor(body.length / 4);
  return `${body.slice(0, a)}.${body.slice(a, 3 * a)}.${body.slice(3 * a)}`;
}

const request = (url = "http://chat.example/") => new Request(url);

describe("the session cookie", () => {
  it("round-trips a session through encryption", async () => {
    const session = testSession();
    const opened = await openSession(await sealSession(session, TEST_SESSION_SECRET), TEST_SESSION_SECRET);
    expect(opened).to.deep.equal({
      ...session,
      refreshExpiresAt: Math.floor(session.refreshExpiresAt / 1000) * 1000,
    });
  });

  it("hides the tokens: nothing of them is readable in the cookie", async () => {
    const value = await sealSession(testSession(), TEST_SESSION_SECRET);
    expect(value.split(".")).to.have.length(5);
    const header = JSON.parse(Buffer.from(value.split(".")[0]!, "base64url").toString()) as object;
    expect(header).to.deep.equal({ alg: "dir", enc: "A256GCM", zip: "DEF" });
    for (const secret of ["access-token-for-tests", "refresh-token-for-tests", "ada@example.com"]) {
      expect(Buffer.from(value.replace(/\./g, ""), "base64url").toString("latin1")).not.to.include(secret);
      expect(value).not.to.include(secret);
    }
  });

  it("rejects a tampered cookie", async () => {
    const value = await sealSession(testSession(), TEST_SESSION_SECRET);
    const parts = value.split(".");
    const ciphertext = Buffer.from(parts[3]!, "base64url");
    ciphertext[0]! ^= 1;
    parts[3] = ciphertext.toString("base64url");
    expect(await openSession(parts.join("."), TEST_SESSION_SECRET)).to.equal(undefined);
    expect(await openSession(`${value}x`, TEST_SESSION_SECRET)).to.equal(undefined);
    expect(await openSession("not-a-cookie", TEST_SESSION_SECRET)).to.equal(undefined);
  });

  it("rejects a cookie made with another SESSION_SECRET", async () => {
    const value = await sealSession(testSession(), "another-secret-of-at-least-32-characters!");
    expect(await openSession(value, TEST_SESSION_SECRET)).to.equal(undefined);
  });

  it("rejects a cookie past the refresh token's life, even if the browser kept it", async () => {
    const value = await sealSession(
      testSession({ refreshExpiresAt: Date.now() + 2_000 }),
      TEST_SESSION_SECRET,
    );
    expect(await openSession(value, TEST_SESSION_SECRET, Date.now() + 3_000)).to.equal(undefined);
  });

  for (const [label, access, refresh] of [
    // moto: an RS256 access token of ~900 characters and a short refresh token.
    ["moto-sized", 900, 60],
    // AWS: an access token of ~1,100 characters and a refresh token (itself a JWE) of ~1,800.
    ["AWS-sized", 1100, 1800],
  ] as const) {
    it(`stays under 4 KB with ${label} tokens and a long email address`, async () => {
      const session = testSession({
        email: `${"a".repeat(60)}@${"b".repeat(60)}.example.com`,
        accessToken: jwtOfLength(access),
        refreshToken: refresh > 100 ? jwtOfLength(refresh) : noise(refresh),
      });
      const header = await commitSession(request("https://chat.example/"), session, TEST_SESSION_SECRET);
      // Browsers allow 4096 bytes for a cookie's name and value together.
      const nameAndValue = header.split(";")[0]!;
      expect(nameAndValue.length, `${nameAndValue.length} bytes`).to.be.below(4096);
    });
  }

  it("is HttpOnly, SameSite=Lax, Path=/ and lives as long as the refresh token", async () => {
    const header = await commitSession(request(), testSession(), TEST_SESSION_SECRET);
    expect(header).to.match(/^session=[\w.-]+; /);
    expect(header).to.include("; Path=/");
    expect(header).to.include("; HttpOnly");
    expect(header).to.include("; SameSite=Lax");
    const maxAge = Number(/Max-Age=(\d+)/.exec(header)?.[1]);
    expect(maxAge).to.be.within(12 * 3600 - 5, 12 * 3600);
    expect(header).not.to.include("Secure");
  });

  it("is Secure with the __Host- prefix over HTTPS", async () => {
    const header = await commitSession(request("https://chat.example/"), testSession(), TEST_SESSION_SECRET);
    expect(header).to.match(/^__Host-session=/);
    expect(header).to.include("; Secure");
    expect(header).not.to.match(/Domain=/i);
  });
});

describe("the return path after signing in", () => {
  it("keeps same-origin relative paths", () => {
    expect(safeNextPath("/")).to.equal("/");
    expect(safeNextPath("/?c=1#x")).to.equal("/?c=1#x");
    expect(safeNextPath("/settings/keys")).to.equal("/settings/keys");
  });

  for (const bad of [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/\t/evil.example",
    "/sign-in",
    "/sign-out",
    "",
    undefined,
  ]) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      expect(safeNextPath(bad)).to.equal("/");
    });
  }

  it("builds the sign-in link with next only when it is not the default", () => {
    expect(signInPath("/")).to.equal("/sign-in");
    expect(signInPath("/a?b=c")).to.equal("/sign-in?next=%2Fa%3Fb%3Dc");
    expect(signInPath("//evil.example")).to.equal("/sign-in");
  });
});

describe("sign-in messages", () => {
  it("reads the same for a wrong password and an unknown user", () => {
    expect(passwordStepProblem("NotAuthorizedException").message).to.equal("Incorrect email or password.");
    expect(passwordStepProblem("UserNotFoundException").message).to.equal("Incorrect email or password.");
    expect(passwordStepProblem("TooManyRequestsException").message).to.match(/^Too many sign-in attempts/);
    expect(passwordStepProblem("InternalErrorException")).to.include({ unexpected: true });
  });

  it("passes on which password rule AWS says failed, and only that", () => {
    expect(
      newPasswordStepProblem(
        "InvalidPasswordException",
        "Password does not conform to policy: Password must have symbol characters",
      ).message,
    ).to.equal("That password doesn't meet the password policy: Password must have symbol characters.");
    // moto's wording names no rule.
    expect(
      newPasswordStepProblem(
        "InvalidPasswordException",
        "The provided password does not confirm to the configured password policy",
      ).message,
    ).to.equal("That password doesn't meet the password policy.");
    expect(newPasswordStepProblem("NotAuthorizedException", "Invalid session")).to.include({ restart: true });
  });
});

describe("MFA codes and setup keys", () => {
  it("accepts exactly 6 digits (spaces dropped) and nothing else", () => {
    expect(normalizeCode("123456")).to.equal("123456");
    expect(normalizeCode(" 123 456 ")).to.equal("123456");
    for (const bad of ["", "12345", "1234567", "12345a", "１２３４５６", "123-456"]) {
      expect(normalizeCode(bad), bad).to.equal(undefined);
    }
  });

  it("says a wrong or expired code plainly, and starts again when the challenge session is gone", () => {
    expect(mfaStepProblem("CodeMismatchException").message).to.match(/^That code isn't right\./);
    expect(mfaStepProblem("ExpiredCodeException").message).to.match(/^That code has expired\./);
    expect(mfaStepProblem("NotAuthorizedException")).to.include({ restart: true });
    expect(mfaStepProblem("NotAuthorizedException").message).to.match(/^That took too long\. Sign in again/);
    expect(mfaStepProblem("InternalErrorException")).to.include({ unexpected: true });
  });

  it("groups the setup key in fours and builds the authenticator link", () => {
    expect(groupedSecret("ABCDEFGHIJKLMN")).to.equal("ABCD EFGH IJKL MN");
    expect(otpauthUri("ada+x@example.com", "ABCD2345")).to.equal(
      "otpauth://totp/fargate-ai-stack:ada%2Bx%40example.com?secret=ABCD2345&issuer=fargate-ai-stack",
    );
  });
});
