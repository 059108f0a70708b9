/**
 * `npm run drift -- --env prod [--unit vpc ...]`: is what runs in AWS still what live/<env> describes?
 *
 * Runs `terragrunt run --all plan -- -detailed-exitcode` in live/<env> (or only in the units given with --unit)
 * against whatever AWS the environment points at: the emulator when AWS_ENDPOINT_URL is set, else real AWS with
 * the usual credential chain. It then names every unit whose plan has changes.
 *
 * Exit codes (as `plan -detailed-exitcode`): 0 no drift, 2 drift in at least one unit, 1 an error (bad
 * arguments, AWS unreachable, a unit whose plan failed or gave no result).
 *
 * Terragrunt aggregates the units' detailed exit codes into its own (1 over 2 over 0), but that aggregation has
 * regressed in several releases (gruntwork-io/terragrunt#4292, #5379, #5531, #5586) and names no unit, so the
 * verdict comes from each unit's own plan output (Terragrunt's JSON log tags every line with its unit); the
 * aggregate exit code is only a cross-check. The check never creates anything: the state bucket is not
 * bootstrapped (TG_BACKEND_BOOTSTRAP=false), so an environment never applied is an error, not "drift".
 */
import net from "node:net";
import path from "node:path";
import { parseCommandLine, runCommand, UsageError } from "../lib/command.js";
import { checkEnvironment, envDir, environments, unitsOf } from "../lib/environments.js";
import { run, type RunResult } from "@fargate-ai-stack/test-support";
import { projectEnv } from "../lib/project-env.js";
import { resolveTarget, type Target } from "../lib/target.js";

const USAGE = `Usage: npm run drift -- --env ${environments().join("|")} [--unit NAME]...
Plans live/<env> (or only the units given; --unit may repeat or take a comma-separated list) against the AWS
that AWS_ENDPOINT_URL / your credentials point at, and lists the units whose plan has changes.
Exit: 0 no drift, 2 drift, 1 error.`;

interface Options {
  env: string;
  units: string[];
  /** Every unit of the environment was selected (no --unit). */
  all: boolean;
}

function parseDriftCommandLine(): Options {
  const values = parseCommandLine(
    { env: { type: "string" }, unit: { type: "string", multiple: true } },
    { text: USAGE, separator: "\n" },
  );
  const env = checkEnvironment(values.env, "--env");
  const known = unitsOf(env);
  const asked = (values.unit ?? []).flatMap((value) => value.split(",")).map((unit) => unit.trim());
  for (const unit of asked) {
    if (!known.includes(unit)) {
      throw new UsageError(`unknown unit '${unit}' in live/${env}: use one of ${known.join(", ")}`);
    }
  }
  const units = asked.length ? [...new Set(asked)].sort() : known;
  return { env, units, all: asked.length === 0 };
}

/** Fails with a clear message when AWS_ENDPOINT_URL is set but nothing accepts connections there. */
async function checkEndpoint(endpoint: string): Promise<void> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`AWS_ENDPOINT_URL is not a URL: '${endpoint}'`);
  }
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const why = await new Promise<string | undefined>((resolve) => {
    const socket = net.connect({ host: url.hostname, port, timeout: 10_000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve("no answer within 10 s");
    });
    socket.once("error", (error: NodeJS.ErrnoException) =>
      resolve(error.code === "ECONNREFUSED" ? "connection refused" : (error.code ?? error.message)),
    );
  });
  if (why) {
    throw new Error(
      `cannot reach the AWS endpoint ${endpoint} (AWS_ENDPOINT_URL): ${why}. ` +
        "Start the emulator (npm start, or scripts/moto.sh start) or unset AWS_ENDPOINT_URL to check real AWS.",
    );
  }
}

interface LogLine {
  level?: string;
  msg?: string;
  "working-dir"?: string;
}

interface UnitResult {
  unit: string;
  status: "no changes" | "drifted" | "failed" | "no result";
  /** "Plan: 0 to add, 1 to change, 0 to destroy." or "outputs only" for a drifted unit. */
  summary?: string;
  /** Resource addresses the plan would change. */
  resources: string[];
  errors: string[];
}

/** Reads Terragrunt's JSON log (--log-format json) into a result per unit. */
function unitResults(
  envPath: string,
  units: string[],
  log: string,
): { results: UnitResult[]; errors: string[] } {
  const stdout = new Map<string, string>();
  const unitErrors = new Map<string, string[]>();
  const errors: string[] = [];
  for (const line of log.split("\n")) {
    if (!line.startsWith("{")) continue;
    let entry: LogLine;
    try {
      entry = JSON.parse(line) as LogLine;
    } catch {
      continue;
    }
    const dir = entry["working-dir"];
    const unit = dir ? path.relative(envPath, path.resolve(envPath, dir)).split(path.sep)[0] : undefined;
    const msg = entry.msg ?? "";
    if (entry.level === "stdout" && unit) {
      stdout.set(unit, (stdout.get(unit) ?? "") + msg);
    } else if (entry.level === "error" || entry.level === "stderr") {
      const text = msg.trim();
      if (!text) continue;
      if (unit && units.includes(unit)) unitErrors.set(unit, [...(unitErrors.get(unit) ?? []), text]);
      else errors.push(text);
    }
  }
  const results = units.map((unit): UnitResult => {
    const out = stdout.get(unit) ?? "";
    const resources = [...out.matchAll(/^\s*# (\S+) (?:will be|must be)/gm)].map((match) => match[1]!);
    const plan = /^Plan: .*$/m.exec(out)?.[0];
    const unitErrorList = unitErrors.get(unit) ?? [];
    if (plan) return { unit, status: "drifted", summary: plan, resources, errors: unitErrorList };
    if (/Changes to Outputs:/.test(out)) {
      return { unit, status: "drifted", summary: "outputs only", resources, errors: unitErrorList };
    }
    if (/No changes\./.test(out)) return { unit, status: "no changes", resources, errors: unitErrorList };
    return { unit, status: unitErrorList.length ? "failed" : "no result", resources, errors: unitErrorList };
  });
  return { results, errors };
}

interface Plan {
  result: RunResult;
  elapsed: string;
  results: UnitResult[];
  /** Errors of no selected unit (Terragrunt's own). */
  errors: string[];
}

/** `terragrunt run --all plan -detailed-exitcode` of the selected units, read into a result per unit. */
async function plan(options: Options, target: Target): Promise<Plan> {
  const where = envDir(options.env);
  const scope = options.all ? `all ${options.units.length} units` : `units ${options.units.join(", ")}`;
  console.log(`==> drift: planning live/${options.env} (${scope}) against ${target.description} ...`);
  const args = ["run", "--all", "--non-interactive", "--log-format", "json"];
  if (!options.all) for (const unit of options.units) args.push("--filter", `./${unit}`);
  args.push("plan", "--", "-detailed-exitcode", "-no-color", "-input=false");
  const started = Date.now();
  const result = await run("terragrunt", args, {
    cwd: where,
    // A drift check creates nothing: no state bucket bootstrap.
    env: { ...projectEnv(target.env), TG_BACKEND_BOOTSTRAP: "false", NO_COLOR: "1" },
  }).catch((error: unknown) => {
    throw new Error(`cannot run terragrunt: ${(error as Error).message} (run 'npm run setup' first)`);
  });
  const elapsed = `${((Date.now() - started) / 1000).toFixed(0)} s`;
  return { result, elapsed, ...unitResults(where, options.units, `${result.stdout}\n${result.stderr}`) };
}

function printUnits(results: UnitResult[]): void {
  const width = Math.max(...results.map((r) => r.unit.length));
  for (const r of results) {
    const detail =
      r.status === "drifted"
        ? `${r.summary}${r.resources.length ? ` (${r.resources.join(", ")})` : ""}`
        : r.status === "failed"
          ? (r.errors.at(-1)?.split("\n")[0] ?? "")
          : "";
    console.log(`  ${r.unit.padEnd(width)}  ${r.status}${detail ? `  ${detail}` : ""}`);
  }
}

/**
 * The first "Error:" line of each distinct failure, per unit; Terragrunt's own messages only when no unit said
 * anything (its retries repeat the same errors with new request IDs).
 */
function failureDetails(options: Options, target: Target, { results, errors }: Plan): string[] {
  const firstLines = (texts: string[]) => [
    ...new Set(
      texts.map((text) =>
        (text.split("\n").find((l) => /^\s*Error:/.test(l)) ?? text.split("\n")[0]!).trim(),
      ),
    ),
  ];
  const details = results.flatMap((r) => firstLines(r.errors).map((line) => `  [${r.unit}] ${line}`));
  if (!details.length)
    details.push(
      ...firstLines(errors)
        .slice(0, 5)
        .map((line) => `  ${line}`),
    );
  const all = [...results.flatMap((r) => r.errors), ...errors].join("\n");
  if (/bucket does not exist|NoSuchBucket/.test(all)) {
    details.push(
      `  hint: the state bucket does not exist: live/${options.env} has not been applied against ${target.description} (this check creates nothing)`,
    );
  }
  return details;
}

/** The verdict line and exit code: 0 no drift, 2 drift, 1 a failed check. */
function verdict(options: Options, target: Target, planned: Plan): number {
  const { result, elapsed, results } = planned;
  const drifted = results.filter((r) => r.status === "drifted").map((r) => r.unit);
  const broken = results.filter((r) => r.status === "failed" || r.status === "no result").map((r) => r.unit);
  if (broken.length || (result.code !== 0 && result.code !== 2)) {
    const details = failureDetails(options, target, planned);
    console.error(
      `error: the drift check of live/${options.env} failed after ${elapsed} (terragrunt exit ${result.code})` +
        `${broken.length ? `; no plan for: ${broken.join(", ")}` : ""}` +
        `${drifted.length ? `; drifted anyway: ${drifted.join(", ")}` : ""}` +
        `${details.length ? `\n${details.join("\n")}` : ""}`,
    );
    return 1;
  }
  if (drifted.length) {
    console.log(
      `Drift in live/${options.env}: ${drifted.length} of ${results.length} units have changes: ${drifted.join(", ")} (${elapsed}, terragrunt exit ${result.code})`,
    );
    return 2;
  }
  if (result.code === 2) {
    console.error(
      `error: terragrunt reported changes (exit 2) but no unit's plan shows any; see its output:\n${result.stdout.slice(-4000)}`,
    );
    return 1;
  }
  console.log(
    `No drift in live/${options.env}: no changes in ${results.length} units (${elapsed}, terragrunt exit ${result.code})`,
  );
  return 0;
}

async function drift(): Promise<number> {
  const options = parseDriftCommandLine();
  // AWS_ENDPOINT_URL, else the emulator of a running `npm start` (its endpoint, registry and image tag), else AWS.
  const target = resolveTarget();
  if (target.kind === "emulator") await checkEndpoint(target.env.AWS_ENDPOINT_URL ?? "");
  const planned = await plan(options, target);
  printUnits(planned.results);
  return verdict(options, target, planned);
}

// Exit 1 for bad arguments too: exit 2 means drift.
runCommand(drift, { usageExitCode: 1 });
