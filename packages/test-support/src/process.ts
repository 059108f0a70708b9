/** Child processes for tests, benchmarks and scripts: run a command to completion, or start one and watch it. */
import { spawn, type ChildProcess } from "node:child_process";
import { repoRoot } from "./paths.js";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Default: the repository root. */
  cwd?: string;
  /** The complete environment; default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Kill the command (SIGKILL) after this many milliseconds; default: no limit. */
  timeoutMs?: number;
  /** Written to the command's stdin (which is otherwise closed). */
  input?: string;
  /** capture (default): output kept; echo: kept and also copied to this process's stderr, for progress a
   * person watches; inherit: the command writes to this terminal itself (nothing kept). */
  output?: "capture" | "echo" | "inherit";
  /** Aborting sends SIGTERM (which Terragrunt passes on to OpenTofu); the result is then the exit it makes. */
  signal?: AbortSignal;
}

/** Runs a command without a shell and collects its output; never throws on a non-zero exit (a signal counts
 * as exit 128). */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const output = options.output ?? "capture";
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? process.env,
      stdio:
        output === "inherit" ? "inherit" : [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      ...(options.signal ? { signal: options.signal, killSignal: "SIGTERM" as const } : {}),
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    let stdout = "";
    let stderr = "";
    const collect = (into: (text: string) => void) => (chunk: Buffer) => {
      into(chunk.toString());
      if (output === "echo") process.stderr.write(chunk);
    };
    child.stdout?.on(
      "data",
      collect((text) => (stdout += text)),
    );
    child.stderr?.on(
      "data",
      collect((text) => (stderr += text)),
    );
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", (error) => {
      // An abort is not a failure to start: "close" follows with the exit it caused.
      if (error.name === "AbortError") return;
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Like run, but fails with the end of the command's output when it exits non-zero. */
export async function runOk(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.code}\n--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`,
    );
  }
  return result;
}

function tail(text: string, lines = 80): string {
  return text.split("\n").slice(-lines).join("\n");
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  /** Default: the repository root. */
  cwd?: string;
  /** The complete environment (the child sees only this); default: this process's. */
  env?: Record<string, string | undefined>;
  /** Run in its own process group, so stop() also ends everything the process started. */
  group?: boolean;
  /** Keep only the last this-many characters of output (for chatty daemons); default: all of it. */
  keepChars?: number;
}

export interface RunningProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited (or could not be started). */
  exited: Promise<ExitStatus>;
  hasExited(): boolean;
  /** Resolves with the first output line matching `pattern`; rejects if the process exits or time runs out. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

interface Captured {
  all: string;
  out: string;
  err: string;
}

/** Starts a long-running process and captures its output for assertions and failure messages. */
export function spawnProcess(command: string, args: string[], options: SpawnOptions = {}): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: (options.env ?? process.env) as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.group ?? false,
  });
  const text: Captured = { all: "", out: "", err: "" };
  const keep = (value: string): string =>
    options.keepChars === undefined ? value : value.slice(-options.keepChars);
  const listeners = new Set<() => void>();
  const notify = (): void => listeners.forEach((listener) => listener());
  const capture = (stream: "out" | "err") => (chunk: Buffer) => {
    text[stream] = keep(text[stream] + chunk.toString());
    text.all = keep(text.all + chunk.toString());
    notify();
  };
  child.stdout?.on("data", capture("out"));
  child.stderr?.on("data", capture("err"));
  let ended = false;
  const signal = (name: NodeJS.Signals): void => {
    try {
      if (options.group && child.pid !== undefined) process.kill(-child.pid, name);
      else child.kill(name);
    } catch {
      // already gone
    }
  };
  // Never leave a process behind if the test run itself dies.
  const killChild = (): void => signal("SIGKILL");
  process.once("exit", killChild);
  const exited = new Promise<ExitStatus>((resolve) => {
    const finish = (status: ExitStatus): void => {
      if (ended) return;
      ended = true;
      process.off("exit", killChild);
      notify();
      resolve(status);
    };
    child.once("exit", (code, sig) => finish({ code, signal: sig }));
    child.once("error", (error) => {
      text.all += `\n${command}: ${error.message}`;
      if (child.pid === undefined) finish({ code: null, signal: null });
    });
  });
  return {
    child,
    output: () => text.all,
    stdout: () => text.out,
    stderr: () => text.err,
    exited,
    hasExited: () => ended,
    waitForLine: (pattern, timeoutMs = 20_000) =>
      waitForLine(pattern, timeoutMs, { text: () => text.all, ended: () => ended, listeners }),
    async stop(graceMs = 10_000) {
      if (ended) return;
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

function waitForLine(
  pattern: RegExp,
  timeoutMs: number,
  source: { text(): string; ended(): boolean; listeners: Set<() => void> },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const line = source
        .text()
        .split("\n")
        .find((l) => pattern.test(l));
      if (line !== undefined) finish(() => resolve(line));
      else if (source.ended()) {
        finish(() => reject(new Error(`process exited before printing ${pattern}:\n${source.text()}`)));
      }
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`timed out waiting for ${pattern}:\n${source.text()}`))),
      timeoutMs,
    );
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      source.listeners.delete(check);
      settle();
    };
    source.listeners.add(check);
    check();
  });
}

/** Starts `node --import tsx <script>` (TypeScript run directly, as the project's dev servers are). */
export function spawnNode(script: string, options: SpawnOptions = {}): RunningProcess {
  return spawnProcess(process.execPath, ["--import", "tsx", script], options);
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Fail at once, with its output, when this process exits first. */
  process?: RunningProcess;
}

/** Polls `probe` until it returns true (a throw counts as false); fails after `timeoutMs`. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  options: WaitOptions = {},
): Promise<void> {
  const { timeoutMs = 30_000, intervalMs = 200, process: watched } = options;
  const output = (): string => (watched ? `:\n${watched.output()}` : "");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (watched?.hasExited()) {
      throw new Error(`${what} exited with code ${watched.child.exitCode} during start-up${output()}`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not answer within ${timeoutMs} ms${output()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Whether a GET of `url` answers 2xx within `timeoutMs` (the body is read, so the connection is freed). */
export async function answersOk(url: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
