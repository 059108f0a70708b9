import path from "node:path";
import {
  run as runCommand,
  runOk as runCommandOk,
  type RunOptions,
  type RunResult,
} from "@fargate-ai-stack/test-support";
import { repoRoot, toolsBin } from "./paths.js";

export type { RunOptions, RunResult };

/** Generous, so a hung tool fails the test instead of the whole run. */
const DEFAULT_TIMEOUT_MS = 15 * 60_000;

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

/** run() from test-support, in the project's environment and with a time limit unless told otherwise. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return runCommand(command, args, withDefaults(options));
}

/** Like run, but fails with the command's output when it exits non-zero. */
export function runOk(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return runCommandOk(command, args, withDefaults(options));
}

function withDefaults(options: RunOptions): RunOptions {
  return { ...options, env: options.env ?? projectEnv(), timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
}
