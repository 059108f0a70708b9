import { spawn } from "node:child_process";
import path from "node:path";
import { repoRoot, toolsBin } from "./paths.js";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command after this many milliseconds (default 15 minutes). */
  timeoutMs?: number;
  /** Written to the command's stdin (which is otherwise closed). */
  input?: string;
}

/**
 * The environment the project's scripts give every tool (scripts/lib.sh project_env): project tools first on
 * PATH, the project's OpenTofu CLI config, Podman settings, non-interactive Terragrunt.
 */
export function projectEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${toolsBin}:${path.join(repoRoot, ".tools", "venv", "bin")}:${process.env.PATH ?? ""}`,
    TF_CLI_CONFIG_FILE: path.join(repoRoot, ".tools", "tofurc"),
    CONTAINERS_CONF: path.join(repoRoot, "scripts", "containers.conf"),
    TG_TF_PATH: "tofu",
    TG_NON_INTERACTIVE: "true",
    TG_BACKEND_BOOTSTRAP: "true",
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
    NO_COLOR: "1",
    ...extra,
  };
}

/** Runs a command to completion without a shell and collects its output; never throws on a non-zero exit. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? projectEnv(),
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 15 * 60_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Like run, but fails with the command's output when it exits non-zero. */
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
