/** Terragrunt runs in live/<env>: a unit's outputs, and `run --all` over the environment. */
import path from "node:path";
import { envDir } from "./environments.js";
import { run } from "@fargate-ai-stack/test-support";
import type { Target } from "./target.js";

/** `terragrunt output -json` of one unit, as plain values. */
export async function unitOutputs(
  target: Target,
  env: string,
  unit: string,
): Promise<Record<string, unknown>> {
  // Dependencies' outputs from their state, not a `tofu output` in their folders: faster, and several units'
  // outputs can be read at once without two runs regenerating the same dependency's files.
  const result = await run("terragrunt", ["output", "--dependency-fetch-output-from-state", "-json"], {
    cwd: path.join(envDir(env), unit),
    env: { ...target.env, TG_LOG_LEVEL: "error" },
  });
  if (result.code !== 0) {
    throw new Error(`terragrunt output failed in live/${env}/${unit}: ${result.stderr.trim().slice(-2000)}`);
  }
  const raw = JSON.parse(result.stdout || "{}") as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(raw).map(([name, output]) => [name, output.value]));
}

/** The outputs of several units of live/<env>, by unit: each is a terragrunt run of its own, so all run at once. */
export async function unitsOutputs<Unit extends string>(
  target: Target,
  env: string,
  units: readonly Unit[],
): Promise<Record<Unit, Record<string, unknown>>> {
  const outputs = await Promise.all(units.map((unit) => unitOutputs(target, env, unit)));
  return Object.fromEntries(units.map((unit, index) => [unit, outputs[index]])) as Record<
    Unit,
    Record<string, unknown>
  >;
}

/** `terragrunt run --all <command>` in live/<env> (apply and destroy without prompts), output streamed. */
export async function runAll(
  target: Target,
  env: string,
  command: string,
  extra: string[] = [],
): Promise<void> {
  const tfArgs =
    command === "apply" || command === "destroy" ? ["-auto-approve", "-no-color"] : ["-no-color"];
  const result = await run(
    "terragrunt",
    ["run", "--all", "--non-interactive", ...extra, command, "--", ...tfArgs],
    {
      cwd: envDir(env),
      env: target.env,
      output: "echo",
    },
  );
  if (result.code !== 0)
    throw new Error(`terragrunt run --all ${command} failed in live/${env} (exit ${result.code})`);
}
