import {
  run as runCommand,
  runOk as runCommandOk,
  type RunOptions,
  type RunResult,
} from "@fargate-ai-stack/test-support";
import { projectEnv as scriptsProjectEnv } from "../../scripts/src/lib/project-env.js";

export type { RunOptions, RunResult };

/** Generous, so a hung tool fails the test instead of the whole run. */
const DEFAULT_TIMEOUT_MS = 15 * 60_000;

/**
 * The environment the project's scripts give every tool (scripts/src/lib/project-env.ts, as scripts/lib.sh
 * project_env), with OpenTofu as the engine whatever the caller's TG_TF_PATH, and no colours in what tests read.
 */
export function projectEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...scriptsProjectEnv({ ...process.env, TG_TF_PATH: "tofu" }), NO_COLOR: "1", ...extra };
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
