import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { Browser } from "playwright-core";
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from "./support/browser";
import {
  banner,
  budgetNote,
  composer,
  DESKTOP,
  focusIsVisible,
  focusedName,
  openChat,
  PHONE,
  replies,
  send,
  seriousAxeViolations,
  signIn,
  tabTo,
  waitForAnnouncement,
  waitForPartialReply,
  waitReady,
  type ChatPage,
  type OpenOptions,
} from "./support/chat-page";
import { RESULTS_DIR } from "./support/paths";
import { BUDGET, startStack, type Stack } from "./support/stack";

const STORY = Array.from({ length: 150 }, (_, i) => `word${i}`).join(" ");
const SHORT = "Fargate runs containers without servers to manage. You pay for the vCPU and memory you use.";
const MARKDOWN = [
  "## Deploying",
  "",
  "Steps:",
  "",
  "1. Build the image",
  "2. Push it to **ECR**",
  "",
  "```bash",
  "npm run deploy -- --env dev",
  "```",
  "",
  "| Setting | Value |",
  "| --- | --- |",
  "| CPU | 256 |",
  "",
  "See [the docs](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AWS_Fargate.html).",
].join("\n");

describe("chat in the browser (real frontend + backend + fake OpenAI)", function () {
  this.timeout(90_000);
  let stack: Stack;
  let browser: Browser;
  const open: ChatPage[] = [];
  /** CSP violations from every page of every test; checked by the last test. */
  const cspViolations: string[] = [];

  before(async function () {
    if (!chromiumAvailable()) {
      console.log(
        `    Skipping browser tests: ${CHROMIUM_PATH} not found (npm run setup installs Debian's chromium).`,
      );
      this.skip();
    }
    mkdirSync(RESULTS_DIR, { recursive: true });
    stack = await startStack();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  beforeEach(() => {
    stack.fake.reset();
    stack.fake.setScenario({ kind: "ok", reply: SHORT, tokenDelayMs: 5 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed") {
      const chat = open.at(-1);
      if (chat) {
        const file = path.join(RESULTS_DIR, `failed-${this.currentTest.title.replace(/\W+/g, "-")}.png`);
        await chat.page.screenshot({ path: file }).catch(() => undefined);
        console.log(`    screenshot: ${file}\n    logs:\n${stack.logs().slice(-4000)}`);
      }
    }
    for (const chat of open.splice(0)) {
      cspViolations.push(...chat.problems.filter((p) => p.includes("Content Security Policy")));
      await chat.context.close();
    }
  });

  /** The chat, signed in as a fresh user (a full day's budget each). */
  async function chat(options: OpenOptions = {}): Promise<ChatPage> {
    const account = options.account ?? (await stack.newUser());
    const opened = await openChat(browser, stack.frontendUrl, { ...options, account });
    open.push(opened);
    return opened;
  }

  it("streams a reply token by token, then announces it once", async () => {
    stack.fake.setScenario({ kind: "ok", reply: STORY, tokenDelayMs: 15 });
    const { page, problems } = await chat();
    await expect(page.getByRole("combobox", { name: "Model" })).to.be.ok;
    await page.getByRole("combobox", { name: "Model" }).selectOption("gpt-4o");
    await send(page, "Tell me a story");

    const log = page.getByRole("log");
    await page.waitForFunction(
      () => document.querySelector("[role=log]")?.getAttribute("aria-busy") === "true",
    );
    const partial = await waitForPartialReply(page, 20);
    expect(partial.length, "part of the reply is on screen before it ends").to.be.lessThan(STORY.length);
    expect(STORY.startsWith(partial.trim())).to.equal(true);

    await waitForAnnouncement(page, "Reply complete.");
    expect(await log.getAttribute("aria-busy")).to.equal("false");
    expect((await replies(page).last().locator(".markdown").textContent())?.trim()).to.equal(STORY);
    expect(await replies(page).last().locator(".model-tag").textContent()).to.equal("gpt-4o");
    expect(await page.locator(".message-user .bubble").textContent()).to.equal("Tell me a story");
    expect(
      await page.getByRole("button", { name: "Tell me a story", exact: true }).getAttribute("aria-current"),
    ).to.equal("page");

    const upstream = stack.fake.requests.filter((r) => r.path.endsWith("/chat/completions")).at(-1);
    const body = upstream?.body as { model: string; messages: { role: string; content: string }[] };
    expect(body.model).to.equal("gpt-4o");
    expect(body.messages.at(-1)).to.deep.equal({ role: "user", content: "Tell me a story" });
    expect(problems, "no console errors or CSP violations").to.deep.equal([]);
  });

  it("Stop ends the reply mid-way and cancels the upstream request", async () => {
    stack.fake.setScenario({ kind: "ok", reply: STORY, tokenDelayMs: 60 });
    const { page } = await chat();
    await send(page, "Tell me a long story");
    await waitForPartialReply(page, 20);
    await page.getByRole("button", { name: "Stop reply" }).click();

    await waitForAnnouncement(page, "Reply stopped.");
    await stack.fake.waitForAborted(1, 10_000);
    const reply = replies(page).last();
    expect(await reply.locator(".status-note").textContent()).to.equal("Stopped");
    const text = (await reply.locator(".markdown").textContent())?.trim() ?? "";
    expect(text.length).to.be.greaterThan(0);
    expect(text.length).to.be.lessThan(STORY.length);
    expect(await page.getByRole("button", { name: "Send message" }).isVisible()).to.equal(true);
  });

  it("shows a banner while the backend is down and clears it after Retry once it is back", async () => {
    await stack.stopBackend();
    try {
      const { page } = await chat();
      // The model list is the first thing that fails.
      await banner(page).getByText("Can't reach the chat service").waitFor();
      expect(await banner(page).getByRole("alert").textContent()).to.include("backend isn't answering");

      await stack.startBackend();
      await banner(page).getByRole("button", { name: "Retry" }).click();
      await banner(page).waitFor({ state: "detached" });
      expect(await page.getByRole("combobox", { name: "Model" }).isEnabled()).to.equal(true);

      // A message sent while the backend is down keeps the question and offers Retry.
      await stack.stopBackend();
      await send(page, "Are you there?");
      await banner(page).getByText("Can't reach the chat service").waitFor();
      expect(await page.locator(".message-user .bubble").last().textContent()).to.equal("Are you there?");

      await stack.startBackend();
      await banner(page).getByRole("button", { name: "Retry" }).click();
      await waitForAnnouncement(page, "Reply complete.");
      await banner(page).waitFor({ state: "detached" });
      expect((await replies(page).last().locator(".markdown").textContent())?.trim()).to.equal(SHORT);
    } finally {
      await stack.startBackend().catch(() => undefined);
    }
  });

  it("explains rate limits with the wait time and rejected keys with the fix", async () => {
    const { page } = await chat();
    stack.fake.setScenario({ kind: "status", status: 429, retryAfter: 2, times: 1 });
    await send(page, "Hello?");
    await banner(page).getByText("OpenAI is rate limiting this app").waitFor();
    expect(await banner(page).textContent()).to.match(/Try again in 2 seconds/);
    const retry = banner(page).locator(".banner-actions button.secondary");
    expect(await retry.isDisabled(), "Retry waits for Retry-After").to.equal(true);
    await page.getByRole("button", { name: "Retry", exact: true }).waitFor();
    await retry.click();
    await waitForAnnouncement(page, "Reply complete.");
    await banner(page).waitFor({ state: "detached" });

    stack.fake.setScenario({ kind: "status", status: 401 });
    await send(page, "And now?");
    await banner(page).getByText("OpenAI rejected the API key").waitFor();
    expect(await banner(page).locator("code").textContent()).to.equal("npm run secret:set -- --env <env>");
    await banner(page).getByRole("button", { name: "Dismiss message" }).click();
    await banner(page).waitFor({ state: "detached" });
  });

  it("keeps the part of a reply that was cut off and offers Regenerate", async () => {
    stack.fake.setScenario({ kind: "cut", afterTokens: 3, reply: SHORT });
    const { page } = await chat();
    await send(page, "Cut me off");
    await banner(page).waitFor();
    const reply = replies(page).last();
    expect(await reply.locator(".status-note").textContent()).to.equal("Interrupted");
    stack.fake.setScenario({ kind: "ok", reply: SHORT });
    await reply.getByRole("button", { name: "Regenerate" }).click();
    await waitForAnnouncement(page, "Reply complete.");
    expect(await replies(page).count()).to.equal(1);
    expect((await replies(page).last().locator(".markdown").textContent())?.trim()).to.equal(SHORT);
  });

  it("renders Markdown safely, with code blocks that copy", async () => {
    const hostile = `${MARKDOWN}\n\n<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>\n\n[bad](javascript:window.__xss=3)`;
    stack.fake.setScenario({ kind: "ok", reply: hostile, tokenDelayMs: 1 });
    const { page, context } = await chat();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.frontendUrl });
    await send(page, "Show me Markdown");
    await waitForAnnouncement(page, "Reply complete.");
    const md = replies(page).last().locator(".markdown");
    expect(await md.locator("h2").textContent()).to.equal("Deploying");
    expect(await md.locator("ol li").count()).to.equal(2);
    expect(await md.locator("table td").first().textContent()).to.equal("CPU");
    expect(await md.locator("a[href^='https://docs.aws']").getAttribute("rel")).to.include("noopener");
    expect(await md.locator("img, script, [onerror]").count()).to.equal(0);
    expect(await md.locator("a[href^='javascript']").count()).to.equal(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).to.equal(undefined);
    expect(await md.textContent()).to.include("<script>");

    await md.getByRole("button", { name: "Copy code" }).click();
    await md.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal("npm run deploy -- --env dev");
  });

  it("keeps conversations across a reload: new, rename, switch, delete", async () => {
    const { page } = await chat();
    await send(page, "First conversation");
    await waitForAnnouncement(page, "Reply complete.");
    await page.getByRole("button", { name: "New chat" }).click();
    await page.getByText("What can I help with?").waitFor();
    await send(page, "Second conversation");
    await page.locator(".message-user .bubble", { hasText: "Second conversation" }).waitFor();
    // The announcer still reads "Reply complete." from the first reply: wait for this one's own message.
    await replies(page).last().waitFor();

    await page.getByRole("button", { name: "Rename “First conversation”" }).click();
    await page.getByRole("textbox", { name: "Conversation name" }).fill("Renamed chat");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Renamed chat", exact: true }).waitFor();

    await page.reload();
    await waitReady(page);
    const history = page.getByRole("navigation", { name: "Conversations" }).locator(".conversation-open");
    expect(await history.allTextContents()).to.deep.equal(["Second conversation", "Renamed chat"]);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).to.equal("Second conversation");
    expect(await replies(page).count()).to.equal(1);

    await page.getByRole("button", { name: "Renamed chat", exact: true }).click();
    expect(await page.locator(".message-user .bubble").textContent()).to.equal("First conversation");

    await page.getByRole("button", { name: "Delete “Second conversation”" }).click();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.reload();
    await waitReady(page);
    expect(await history.allTextContents()).to.deep.equal(["Renamed chat"]);
  });

  it("works with the keyboard alone, with a visible focus indicator", async () => {
    const { page } = await chat();
    const checkFocus = async (): Promise<void> => {
      expect(await focusIsVisible(page), `focus visible on "${await focusedName(page)}"`).to.equal(true);
    };
    expect(await focusedName(page), "the message box has focus on load").to.equal("composer-input");

    // Shift+Enter adds a line, Enter sends.
    await page.keyboard.type("line one");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("line two");
    await page.keyboard.press("Enter");
    await waitForAnnouncement(page, "Reply complete.");
    expect(await page.locator(".message-user .bubble").last().textContent()).to.equal("line one\nline two");
    await checkFocus();

    // Esc stops a streaming reply.
    stack.fake.setScenario({ kind: "ok", reply: STORY, tokenDelayMs: 60 });
    await page.keyboard.type("Tell me a long story");
    await page.keyboard.press("Enter");
    await waitForPartialReply(page, 10);
    await page.keyboard.press("Escape");
    await waitForAnnouncement(page, "Reply stopped.");
    await stack.fake.waitForAborted(1, 10_000);

    // Regenerate, reached backwards from the message box.
    stack.fake.setScenario({ kind: "ok", reply: SHORT, tokenDelayMs: 5 });
    await tabTo(page, "Regenerate", { back: true });
    await checkFocus();
    await page.keyboard.press("Enter");
    await waitForAnnouncement(page, "Reply complete.");
    expect(await replies(page).last().locator(".status-note").count()).to.equal(0);

    // Edit the last message and send it again.
    await tabTo(page, "Edit", { back: true });
    await checkFocus();
    await page.keyboard.press("Enter");
    expect(await focusedName(page)).to.equal("edit-message-input");
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("An edited question");
    await page.keyboard.press("Enter");
    await page.locator(".message-user .bubble", { hasText: "An edited question" }).waitFor();
    // The announcer still reads "Reply complete." from the regenerated reply: wait for this one to end.
    await page.locator("[role=log][aria-busy=false]").waitFor();
    await waitForAnnouncement(page, "Reply complete.");
    expect(await page.locator(".message-user .bubble").allTextContents()).to.deep.equal([
      "line one\nline two",
      "An edited question",
    ]);

    // New chat, then back to the first conversation, rename it and delete it.
    await tabTo(page, "New chat");
    await checkFocus();
    await page.keyboard.press("Enter");
    await page.getByText("What can I help with?").waitFor();
    await tabTo(page, "line one line two", { back: true });
    await page.keyboard.press("Enter");
    await page.locator(".message-user .bubble", { hasText: "An edited question" }).waitFor();

    await tabTo(page, "Rename “line one line two”");
    await checkFocus();
    await page.keyboard.press("Enter");
    await page.keyboard.type("Keyboard chat");
    await page.keyboard.press("Enter");
    expect(await focusedName(page)).to.equal("Keyboard chat");

    await tabTo(page, "Delete “Keyboard chat”");
    await page.keyboard.press("Enter");
    expect(await focusedName(page), "confirmation starts on the safe choice").to.equal("Cancel");
    await page.keyboard.press("Shift+Tab");
    expect(await focusedName(page)).to.equal("Delete");
    await page.keyboard.press("Enter");
    await page.getByText("Your conversations will appear here.").waitFor();
    expect(await focusedName(page)).to.equal("New chat");
  });

  it("works at 360 px: no sideways scrolling, history in a drawer", async () => {
    const { page } = await chat({ viewport: PHONE });
    await send(page, "Hello from a phone");
    await waitForAnnouncement(page, "Reply complete.");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, "no horizontal scrolling").to.be.at.most(0);
    expect(await page.getByRole("navigation", { name: "Conversations" }).isVisible()).to.equal(false);

    const menu = page.getByRole("button", { name: "Show conversations" });
    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).to.equal("true");
    await page.getByRole("button", { name: "Hello from a phone", exact: true }).waitFor();
    expect(await focusedName(page)).to.equal("New chat");
    await page.keyboard.press("Escape");
    expect(await menu.getAttribute("aria-expanded")).to.equal("false");
    expect(await focusedName(page)).to.equal("Show conversations");
  });

  it("passes an axe-core scan and saves screenshots at desktop and 360 px, light and dark", async () => {
    const failures: string[] = [];
    for (const colorScheme of ["light", "dark"] as const) {
      for (const [label, viewport] of [
        ["desktop", DESKTOP],
        ["360px", PHONE],
      ] as const) {
        const { page } = await chat({ viewport, colorScheme });
        const scan = async (state: string): Promise<void> => {
          await page.screenshot({ path: path.join(RESULTS_DIR, `${label}-${colorScheme}-${state}.png`) });
          for (const v of await seriousAxeViolations(page)) {
            failures.push(
              `${label}/${colorScheme}/${state}: ${v.id} (${v.impact}) ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`,
            );
          }
        };
        await scan("empty");

        stack.fake.setScenario({ kind: "ok", reply: MARKDOWN, tokenDelayMs: 1 });
        await send(page, "How do I deploy to Fargate?");
        await waitForAnnouncement(page, "Reply complete.");
        await scan("conversation");

        stack.fake.setScenario({ kind: "status", status: 429, retryAfter: 30, times: 1 });
        await send(page, "Another question");
        await banner(page).waitFor();
        await scan("banner");

        if (viewport === PHONE) {
          await page.getByRole("button", { name: "Show conversations" }).click();
          await page.getByRole("button", { name: "New chat" }).waitFor();
          await page.waitForTimeout(50);
          await scan("drawer");
        }
      }
    }
    expect(failures, failures.join("\n")).to.deep.equal([]);
  });

  describe("accounts and budgets", () => {
    /** A page at the sign-in form, not signed in. */
    async function signedOut(path = "/"): Promise<ChatPage> {
      const opened = await openChat(browser, `${stack.frontendUrl}${path}`);
      open.push(opened);
      await opened.page.getByRole("heading", { name: "Sign in" }).waitFor();
      return opened;
    }
    const alert = (page: ChatPage["page"]) => page.locator(".auth-error[role=alert]");

    it("signs in with a temporary password, asks for a new one, comes back to `next` and survives a reload", async () => {
      const { email, password } = await stack.newUser({ temporary: true });
      const { page, problems } = await signedOut("/?from=link");
      expect(new URL(page.url()).search).to.equal("?next=%2F%3Ffrom%3Dlink");
      await page.screenshot({ path: path.join(RESULTS_DIR, "sign-in.png") });
      expect(await seriousAxeViolations(page), "sign-in form").to.deep.equal([]);

      await signIn(page, email, password);
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      await page.screenshot({ path: path.join(RESULTS_DIR, "sign-in-new-password.png") });
      expect(await seriousAxeViolations(page), "new-password form").to.deep.equal([]);

      // Cognito's password policy speaks for itself.
      await page.getByLabel("New password", { exact: true }).fill("weak");
      await page.getByLabel("Confirm new password").fill("weak");
      await page.getByRole("button", { name: "Set password and sign in" }).click();
      await alert(page).getByText("That password doesn't meet the password policy").waitFor();

      await page.getByLabel("New password", { exact: true }).fill("A-Brand-New-Password-5");
      await page.getByLabel("Confirm new password").fill("A-Brand-New-Password-5");
      await page.getByRole("button", { name: "Set password and sign in" }).click();
      await waitReady(page);
      expect(new URL(page.url()).pathname + new URL(page.url()).search).to.equal("/?from=link");
      expect(await page.getByTestId("account-email").textContent()).to.equal(email);

      await send(page, "Hello after signing in");
      await waitForAnnouncement(page, "Reply complete.");
      expect((await replies(page).last().locator(".markdown").textContent())?.trim()).to.equal(SHORT);

      await page.reload();
      await waitReady(page);
      expect(await page.getByTestId("account-email").textContent()).to.equal(email);
      expect(await page.locator(".message-user .bubble").last().textContent()).to.equal(
        "Hello after signing in",
      );
      // The refused weak password was a 400, which the browser logs; nothing else may be.
      const unexpected = problems.filter((p) => !p.includes("status of 400"));
      expect(unexpected, "no console errors or CSP violations").to.deep.equal([]);
    });

    it("says 'Incorrect email or password.' for a wrong password, without saying which", async () => {
      const { email } = await stack.newUser();
      const { page } = await signedOut();
      await signIn(page, email, "Not-The-Password-1");
      await alert(page).waitFor();
      expect(await alert(page).textContent()).to.equal("Incorrect email or password.");
      expect(await page.getByLabel("Email").inputValue(), "the email stays filled in").to.equal(email);
      expect(
        await page.getByLabel("Password", { exact: true }).inputValue(),
        "the password does not",
      ).to.equal("");

      const answered = page.waitForResponse(
        (r) => r.url().includes("/sign-in") && r.request().method() === "POST",
      );
      await signIn(page, "nobody-at-all@example.com", "Not-The-Password-1");
      await answered;
      expect(await alert(page).textContent()).to.equal("Incorrect email or password.");
      expect(await seriousAxeViolations(page)).to.deep.equal([]);
    });

    it("signs out: back to the sign-in page, and the chat needs signing in again", async () => {
      const ada = await stack.newUser();
      const { page, context } = await chat({ account: ada });
      await send(page, "Ada's question");
      await replies(page).last().waitFor();
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      expect(new URL(page.url()).pathname).to.equal("/sign-in");
      expect(await context.cookies()).to.deep.equal([]);

      await page.goto(stack.frontendUrl);
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      const status = await page.evaluate(async () => (await fetch("/api/models")).status);
      expect(status).to.equal(401);

      // Someone else on the same browser sees none of Ada's conversations; Ada gets hers back.
      const history = page.getByRole("navigation", { name: "Conversations" }).locator(".conversation-open");
      const bob = await stack.newUser();
      await signIn(page, bob.email, bob.password);
      await waitReady(page);
      await page.getByText("Your conversations will appear here.").waitFor();
      await page.getByRole("button", { name: "Sign out" }).click();
      await signIn(page, ada.email, ada.password);
      await waitReady(page);
      expect(await history.allTextContents()).to.deep.equal(["Ada's question"]);
    });

    it("shows what is left of today's budget, then a banner and a disabled message box once it is used up", async () => {
      const { page } = await chat();
      await budgetNote(page)
        .getByText(`${BUDGET.userDailyTokens.toLocaleString("en-US")} of`)
        .waitFor();

      // "hello" is one token: each of these prompts is a little under half the day's budget.
      const half = Array.from({ length: Math.floor(BUDGET.userDailyTokens * 0.4) }, () => "hello").join(" ");
      await send(page, half);
      await waitForAnnouncement(page, "Reply complete.");
      const after = (await budgetNote(page).textContent()) ?? "";
      const left = Number(/^([\d,]+) of/.exec(after)?.[1]?.replace(/,/g, ""));
      expect(left, after).to.be.below(BUDGET.userDailyTokens * 0.65);

      // The second prompt carries the first as history: prompt + the reply cap no longer fit.
      await send(page, half);
      await banner(page).getByText("You've used today's budget").waitFor();
      expect(await banner(page).textContent()).to.match(
        /You can send messages again at \d{1,2}:\d{2}( [AP]M)? \(in \d+ (hours?|minutes?)\)/,
      );
      expect(await composer(page).isDisabled(), "message box off").to.equal(true);
      expect(await budgetNote(page).textContent()).to.match(/^Today's budget is used up\. It resets at/);
      await page.screenshot({ path: path.join(RESULTS_DIR, "budget-used-up.png") });
      expect(await seriousAxeViolations(page)).to.deep.equal([]);
    });
  });

  it("never tripped the Content-Security-Policy on any page above", () => {
    expect(cspViolations).to.deep.equal([]);
  });
});
