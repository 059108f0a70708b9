// Runs the backend as its own process, the way the frontend's browser tests and a container
// do: `node --import tsx backend/src/server.ts` from the repository root.

import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when a log line with this message has been printed. */
  waitForLog(message: string, timeoutMs?: number): Promise<void>;
}

export function runServer(env: Record<string, string>): {
  child: ChildProcess;
  exited: ServerProcess["exited"];
  stdout(): string;
  stderr(): string;
  ready: Promise<ServerProcess>;
} {
  const child = spawn(process.execPath, ["--import", "tsx", "backend/src/server.ts"], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      HOST: "127.0.0.1",
      PORT: "0",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const watchers = new Set<() => void>();
  child.stdout!.setEncoding("utf8").on("data", (s: string) => {
    out += s;
    for (const w of watchers) w();
  });
  child.stderr!.setEncoding("utf8").on("data", (s: string) => {
    err += s;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once("exit", (code, signal) => res({ code, signal })),
  );
  const waitForLog = (message: string, timeoutMs = 20_000): Promise<void> =>
    new Promise((res, rej) => {
      const check = (): boolean => {
        if (!out.split("\n").some((l) => l.includes(`"message":"${message}"`))) return false;
        clearTimeout(timer);
        watchers.delete(watcher);
        res();
        return true;
      };
      const watcher = (): void => void check();
      const timer = setTimeout(() => {
        watchers.delete(watcher);
        rej(new Error(`no "${message}" log line within ${timeoutMs} ms; stdout:\n${out}\nstderr:\n${err}`));
      }, timeoutMs);
      watchers.add(watcher);
      check();
    });
  const ready = waitForLog("listening").then(() => {
    const line = out.split("\n").find((l) => l.includes('"message":"listening"'))!;
    const url = (JSON.parse(line) as { url: string }).url;
    return { child, url, stdout: () => out, stderr: () => err, exited, waitForLog };
  });
  return { child, exited, stdout: () => out, stderr: () => err, ready };
}
