/**
 * Running other programs: the project's tool environment (as scripts/lib.sh project_env), one runner for
 * commands that finish, and daemons that run beside a command until it stops them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./environments.js";

/**
 * scripts/lib.sh project_env: project tools first on PATH, the project's OpenTofu CLI config, where TFLint
 * finds its plugins, Podman settings, non-interactive Terragrunt that creates the state bucket when missing.
 * Values already set by the caller win for TG_TF_PATH (as in project_env), so the commands also work when
 * started without it.
 */
export function projectEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const tools = path.join(repoRoot, ".tools");
  return {
    ...base,
    PATH: `${path.join(tools, "bin")}:${path.join(tools, "venv", "bin")}:${base.PATH ?? ""}`,
    TF_CLI_CONFIG_FILE: path.join(tools, "tofurc"),
    TFLINT_PLUGIN_DIR: path.join(tools, "tflint-plugins"),
    CONTAINERS_CONF: path.join(repoRoot, "scripts", "containers.conf"),
    TG_TF_PATH: base.TG_TF_PATH ?? "tofu",
    TG_NON_INTERACTIVE: "true",
    // The project's CLI config decides about a plugin cache (setup.sh), not Terragrunt's automatic one.
    TG_NO_AUTO_PROVIDER_CACHE_DIR: "true",
    TG_BACKEND_BOOTSTRAP: "true",
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Default: the repository's root. */
  cwd?: string;
  /** Default: this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** capture (default): output kept; echo: kept and also streamed to stderr, so the user sees progress;
   * inherit: the child writes to this terminal itself (nothing kept). */
  output?: "capture" | "echo" | "inherit";
  /** Written to the child's stdin (which is closed otherwise). */
  input?: string;
  /** Aborting sends SIGTERM, which Terragrunt passes on to OpenTofu. */
  signal?: AbortSignal;
}

/** Runs a command without a shell; never rejects on a non-zero exit (a signal counts as exit 128). */
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
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (output === "echo") process.stderr.write(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (output === "echo") process.stderr.write(chunk);
    });
    child.on("error", (error) => (error.name === "AbortError" ? undefined : reject(error)));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

export interface Daemon {
  child: ChildProcess;
  /** The last 4000 characters it wrote. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts a long-running program in its own process group, so stop() leaves nothing behind. */
export function startDaemon(command: string, args: string[], env: NodeJS.ProcessEnv): Daemon {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("error", (error) => (output += `\n${error.message}`));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until probe() answers true, failing early (with the daemon's output) when the daemon exits. */
export async function waitFor(
  what: string,
  daemon: Daemon,
  probe: () => Promise<boolean>,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (daemon.child.exitCode !== null) {
      throw new Error(`${what} exited with code ${daemon.child.exitCode}:\n${daemon.output()}`);
    }
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not answer within ${timeoutMs} ms:\n${daemon.output()}`);
}
