// The authenticator setup step in Chromium: keyboard focus, the key and link on screen, errors announced.
import path from "node:path";
import { mkdirSync } from "node:fs";
import { expect } from "chai";
import type { Browser } from "playwright-core";
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from "./support/browser";
import { openChat, seriousAxeViolations, signIn, waitReady, type ChatPage } from "./support/chat-page";
import { startMfaFrontend, type MfaFrontend } from "./support/mfa-pool";
import { RESULTS_DIR } from "./support/paths";
import { freshTotp, wrongTotp } from "./support/totp";

describe("TOTP MFA setup in the browser (emulator)", function () {
  this.timeout(90_000);
  let app: MfaFrontend;
  let browser: Browser;
  let opened: ChatPage | undefined;

  before(async function () {
    if (!chromiumAvailable()) {
      console.log(`      (skipped: no Chromium at ${CHROMIUM_PATH})`);
      this.skip();
    }
    mkdirSync(RESULTS_DIR, { recursive: true });
    app = await startMfaFrontend();
    browser = await launchChromium();
  });
  after(async () => {
    await opened?.context.close();
    await browser?.close();
    await app?.close();
  });

  it("goes from a temporary password through the new password and the authenticator setup to the chat", async () => {
    const email = `mfa-browser-${Date.now()}@example.com`;
    await app.pool.addUser(email, "Temporary-Pass-3", { temporary: true });
    opened = await openChat(browser, app.url);
    const { page, problems } = opened;
    await signIn(page, email, "Temporary-Pass-3");
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await page.getByLabel("New password", { exact: true }).fill("A-Brand-New-Password-5");
    await page.getByLabel("Confirm new password").fill("A-Brand-New-Password-5");
    await page.getByRole("button", { name: "Set password and sign in" }).click();

    await page.getByRole("heading", { name: "Set up your authenticator app" }).waitFor();
    const link = page.getByRole("link", { name: "open the key in your authenticator app" });
    const href = (await link.getAttribute("href")) ?? "";
    const secret = new URL(href).searchParams.get("secret") ?? "";
    expect(href).to.match(/^otpauth:\/\/totp\/fargate-ai-stack:/);
    expect((await page.locator("#setup-key").textContent())?.replaceAll(" ", "")).to.equal(secret);
    const code = page.getByLabel("6-digit code");
    expect(await code.evaluate((el) => el === document.activeElement), "code field focused").to.equal(true);
    expect(await code.getAttribute("autocomplete")).to.equal("one-time-code");
    expect(await code.getAttribute("inputmode")).to.equal("numeric");
    await page.screenshot({ path: path.join(RESULTS_DIR, "sign-in-mfa-setup.png") });
    expect(await seriousAxeViolations(page), "MFA setup form").to.deep.equal([]);

    await code.fill(wrongTotp(secret));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    const alert = page.locator(".auth-error[role=alert]");
    await alert.getByText("That code isn't right.").waitFor();
    expect(await alert.evaluate((el) => el === document.activeElement), "focus on the message").to.equal(
      true,
    );
    expect(await code.inputValue(), "the wrong code is cleared").to.equal("");

    await code.fill(await freshTotp(secret));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await waitReady(page);
    expect(await page.getByTestId("account-email").textContent()).to.equal(email);
    // The refused code was a 400, which the browser logs; nothing else may be.
    expect(problems.filter((p) => !p.includes("status of 400"))).to.deep.equal([]);
  });
});
