import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

export interface ChatPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and CSP violations seen so far. */
  problems: string[];
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  colorScheme?: "light" | "dark";
  /** Signed in as this account on the way (every page needs one); without it the page stays at /sign-in. */
  account?: { email: string; password: string };
}

/** A fresh browser profile (empty localStorage and cookies), signed in, with the chat loaded and hydrated. */
export async function openChat(browser: Browser, url: string, options: OpenOptions = {}): Promise<ChatPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    colorScheme: options.colorScheme ?? "light",
    reducedMotion: "reduce",
  });
  // Generous: a loaded 2-core CI machine runs the browser, three servers and the tests at once.
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);
  if (options.account) {
    await signIn(page, options.account.email, options.account.password);
    await waitReady(page);
  }
  return { page, context, problems };
}

/** Fills in and sends the sign-in form (the page must be showing it, hydrated or not). */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function waitReady(page: Page): Promise<void> {
  await page.locator(".app[data-ready=true]").waitFor();
}

export const budgetNote = (page: Page) => page.getByTestId("budget-note");
export const composer = (page: Page) => page.getByRole("textbox", { name: "Message", exact: true });
export const banner = (page: Page) => page.getByTestId("banner");
export const streamingText = (page: Page) => page.locator(".message-assistant.streaming .markdown");
export const replies = (page: Page) => page.locator(".message-assistant:not(.streaming)");

export async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press("Enter");
}

/** Waits for the polite announcement that ends every reply. */
export async function waitForAnnouncement(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (expected) => document.querySelector("[data-testid=announcer]")?.textContent?.trim() === expected,
    text,
  );
}

/** Waits until the streaming reply shows at least `minLength` characters, and returns them. */
export async function waitForPartialReply(page: Page, minLength: number): Promise<string> {
  const handle = await page.waitForFunction((min) => {
    const text = document.querySelector(".message-assistant.streaming .markdown")?.textContent ?? "";
    return text.length >= min ? text : false;
  }, minLength);
  return (await handle.jsonValue()) as string;
}

/** Name of the focused element as a person would read it: aria-label, else its text, else its id. */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return "";
    if (el.matches("input, textarea, select")) return el.id || el.getAttribute("aria-label") || "";
    return el.getAttribute("aria-label") ?? (el.textContent?.trim() || el.id);
  });
}

/** Presses Tab (or Shift+Tab) until the focused element's name matches; fails after `max` presses. */
export async function tabTo(
  page: Page,
  name: string | RegExp,
  options: { back?: boolean; max?: number } = {},
) {
  const key = options.back ? "Shift+Tab" : "Tab";
  const seen: string[] = [];
  for (let i = 0; i < (options.max ?? 40); i += 1) {
    await page.keyboard.press(key);
    const current = await focusedName(page);
    seen.push(current);
    if (typeof name === "string" ? current === name : name.test(current)) return;
  }
  throw new Error(`could not reach "${String(name)}" with ${key}; focus went through: ${seen.join(" → ")}`);
}

/** True when the focused element shows a focus indicator of at least 2px (outline or ring). */
export function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) return true;
    // The message box draws its ring on the surrounding box.
    const box = el.closest(".composer-box");
    return box !== null && getComputedStyle(box).boxShadow.includes("0px 0px 0px 1px");
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (WCAG 2.x A/AA rules and best practices) in the page; returns serious and critical issues. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (rightly) does not need to allow it.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}
