/** `npm start` as a user runs it, for the tests that need the whole system: started, awaited, interrupted. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort } from "@fargate-ai-stack/test-support";
import { projectEnv } from "./exec.js";
import { repoRoot } from "./paths.js";

const readyLine = /Ready in [\d.]+s: (http:\/\/127\.0\.0\.1:\d+)/;

export interface StartedSystem {
  child: ChildProcess;
  /** Everything it printed so far (keeps growing while it runs). */
  output: string;
  appUrl: string;
}

/**
 * Starts `npm start` of the checkout `root` in its own process group (a Ctrl-C goes to it and its children, as a
 * terminal's would) and resolves once it prints its app URL.
 */
export async function npmStart(
  args: string[],
  env: NodeJS.ProcessEnv,
  root = repoRoot,
): Promise<StartedSystem> {
  const port = await freePort();
  const child = spawn(
    "node",
    [
      "--import",
      "tsx",
      path.join(root, "scripts", "src", "commands", "start.ts"),
      "--port",
      String(port),
      ...args,
    ],
    { cwd: root, env: projectEnv(env), stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  const started: StartedSystem = { child, output: "", appUrl: "" };
  child.stdout?.on("data", (chunk: Buffer) => (started.output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (started.output += chunk.toString()));
  const since = Date.now();
  while (!readyLine.test(started.output)) {
    if (child.exitCode !== null)
      throw new Error(`npm start exited ${child.exitCode}:\n${started.output.slice(-6000)}`);
    if (Date.now() - since > 35 * 60_000)
      throw new Error(`npm start not ready after 35 min:\n${started.output.slice(-6000)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  started.appUrl = readyLine.exec(started.output)?.[1] ?? "";
  return started;
}

/** Ctrl-C to an npm start; resolves with its exit code. */
export function interrupt(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  process.kill(-(child.pid as number), "SIGINT");
  return exited;
}
