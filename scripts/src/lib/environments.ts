/**
 * The environments of live/: their names, folders, units and region (live/<env>/env.hcl).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "./command.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** Environments are the folders of live/ that hold an env.hcl (live/_envcommon is not one). */
export function environments(): string[] {
  const live = path.join(repoRoot, "live");
  return readdirSync(live, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(live, entry.name, "env.hcl")))
    .map((entry) => entry.name)
    .sort();
}

/** Validates the value of an environment option (`option` names it in the message when it is missing). */
export function checkEnvironment(env: string | undefined, option: string): string {
  const known = environments();
  if (!env) throw new UsageError(`${option} is required: use one of ${known.join(", ")}`);
  if (!known.includes(env))
    throw new UsageError(`unknown environment '${env}': use one of ${known.join(", ")}`);
  return env;
}

export function envDir(env: string): string {
  return path.join(repoRoot, "live", env);
}

/** The units of an environment: the folders of live/<env> with a terragrunt.hcl, sorted. */
export function unitsOf(env: string): string[] {
  return readdirSync(envDir(env), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(envDir(env), entry.name, "terragrunt.hcl")),
    )
    .map((entry) => entry.name)
    .sort();
}

/** The AWS region of live/<env> (its env.hcl). */
export function envRegion(env: string): string {
  const hcl = readFileSync(path.join(envDir(env), "env.hcl"), "utf8");
  const region = /^\s*region\s*=\s*"([a-z0-9-]+)"/m.exec(hcl)?.[1];
  if (!region) throw new Error(`live/${env}/env.hcl sets no region`);
  return region;
}
