/**
 * The account `npm start` makes in the emulator's user pool, so a newcomer can sign in at once. Its password is
 * generated once per checkout and environment and kept in .run/local (git-ignored, mode 0600), so a browser's
 * saved password still works after a restart; every start makes sure the user exists with it (a fresh emulator
 * has no users). Only ever in the emulator: in AWS, accounts come from `npm run user:add`.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../lib/environments.js";
import type { Target } from "../lib/target.js";
import { ensureUser, generatePassword, userPoolOf } from "../lib/users.js";

export const LOCAL_USER_EMAIL = "local@fargate-ai-stack.test";

const passwordFile = (env: string) => path.join(repoRoot, ".run", "local", `user-${env}.json`);

async function localPassword(env: string): Promise<string> {
  const file = passwordFile(env);
  try {
    const saved = JSON.parse(await readFile(file, "utf8")) as { password?: unknown };
    if (typeof saved.password === "string" && saved.password.length >= 12) return saved.password;
  } catch {
    // none yet (or unreadable): make one
  }
  const password = generatePassword();
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify({ email: LOCAL_USER_EMAIL, password })}\n`, { mode: 0o600 });
  return password;
}

/** `authOutputs`: the auth unit's outputs, which npm start reads together with the other units'. */
export async function ensureLocalUser(
  target: Target,
  env: string,
  authOutputs: Record<string, unknown>,
): Promise<{ email: string; password: string }> {
  if (target.kind !== "emulator") throw new Error("the local user is made in the emulator only");
  const pool = await userPoolOf(target, env, authOutputs);
  const password = await localPassword(env);
  await ensureUser(pool, LOCAL_USER_EMAIL, password);
  return { email: LOCAL_USER_EMAIL, password };
}
