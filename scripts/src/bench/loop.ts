/**
 * `npm run bench:loop`: the loops every change pays, measured side by side in one run, next to the figures they
 * were cut from (issue "Fast loops", measured on a 2-core machine of this project's kind):
 *   - `npm start` until its app URL is ready, cold and then warm, step by step. Cold: no app images or build cache
 *     for them, no .terragrunt-cache under live/dev, no emulator snapshot (the pinned tools, the provider cache and
 *     the base image stay: they are setup's). Warm: the same again right after. Each is stopped with SIGINT, as
 *     Ctrl-C would;
 *   - the cold start's `terragrunt run --all apply` of live/dev per unit (Terragrunt's run report);
 *   - a warm `npm test` per suite (--no-test leaves it out: it takes a quarter of an hour or more).
 *
 * Usage: npm run bench:loop [-- --no-test]
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseCommandLine, runCommand } from "../lib/command.js";
import { repoRoot } from "../lib/environments.js";
import { formatTable } from "../lib/table.js";
import { freePort, run } from "@fargate-ai-stack/test-support";
import { snapshotDir } from "../local/snapshots.js";

const USAGE = "Usage: npm run bench:loop [-- --no-test]";

/** The figures (seconds), measured before this work: where each loop started from. */
const REFERENCE = {
  coldStart: 350,
  warmStart: 194.9,
  coldApply: 145,
  warmApply: 150,
  test: 1948,
  suites: { infrastructure: 1805 } as Record<string, number>,
};

interface StartRun {
  readySeconds: number;
  /** "Building the images for linux/amd64" -> seconds, in the order printed. */
  steps: Map<string, number>;
}

const seconds = (text: string) => Number(text);

/** One `npm start` until "Ready in", then Ctrl-C; each "NAME: done in Xs" and "restored in Xs" line is a step. */
async function startOnce(env: NodeJS.ProcessEnv): Promise<StartRun> {
  const started = Date.now();
  const child = spawn(
    "node",
    [
      "--import",
      "tsx",
      path.join(repoRoot, "scripts", "src", "commands", "start.ts"),
      "--port",
      String(await freePort()),
    ],
    { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  while (!/==> Ready in /.test(output)) {
    if (child.exitCode !== null) throw new Error(`npm start failed:\n${output.slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const readySeconds = (Date.now() - started) / 1000;
  process.kill(-(child.pid as number), "SIGINT");
  await exited;
  const steps = new Map<string, number>();
  for (const [, name, value] of output.matchAll(/^==> (.+): done in ([\d.]+)s$/gm)) {
    steps.set(name as string, seconds(value as string));
  }
  for (const [, env, value] of output.matchAll(/^==> live\/(\w+) restored in ([\d.]+)s/gm)) {
    steps.set(`live/${env} restored from the emulator's snapshot`, seconds(value as string));
  }
  return { readySeconds, steps };
}

/** What a cold start finds: no app images or their build cache, no Terragrunt cache, no registry, no snapshot. */
async function makeCold(): Promise<void> {
  for (const app of ["frontend", "backend"]) {
    const images = await run("podman", [
      "images",
      "--format",
      "{{.Repository}}:{{.Tag}}",
      "--filter",
      `reference=localhost/fargate-ai-stack/${app}`,
    ]);
    for (const name of images.stdout.split("\n").filter((n) => n && !n.endsWith(":<none>"))) {
      await run("podman", ["manifest", "rm", name]);
      await run("podman", ["rmi", "-f", name]);
    }
  }
  // Drops the layers only these images used (their build cache); base images stay tagged.
  await run("podman", ["image", "prune", "-f"]);
  await rm(path.join(repoRoot, ".run", "local", "registry"), { recursive: true, force: true });
  await rm(snapshotDir, { recursive: true, force: true });
  const caches = await run("find", [
    path.join(repoRoot, "live", "dev"),
    "-name",
    ".terragrunt-cache",
    "-type",
    "d",
    "-prune",
  ]);
  for (const dir of caches.stdout.split("\n").filter(Boolean))
    await rm(dir, { recursive: true, force: true });
}

/** Per unit of Terragrunt's JSON run report: [unit, start offset, duration] in seconds, by start. */
async function unitTimes(reportFile: string): Promise<[string, number, number][]> {
  const report = JSON.parse(await readFile(reportFile, "utf8")) as {
    name: string;
    started: string;
    ended: string;
  }[];
  const first = Math.min(...report.map((unit) => Date.parse(unit.started)));
  return report
    .map((unit): [string, number, number] => [
      path.basename(unit.name),
      (Date.parse(unit.started) - first) / 1000,
      (Date.parse(unit.ended) - Date.parse(unit.started)) / 1000,
    ])
    .sort((a, b) => a[1] - b[1]);
}

/** `npm test` as the README runs it; each "Test suite NAME finished in Ns" line, and the total. */
async function testOnce(): Promise<{ suites: Map<string, number>; total: number; counts: string }> {
  const result = await run("bash", [path.join(repoRoot, "scripts", "run.sh"), "test"], {
    cwd: repoRoot,
    env: { ...process.env, CI: "true" },
  });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.code !== 0) throw new Error(`npm test failed (exit ${result.code}):\n${output.slice(-4000)}`);
  const suites = new Map<string, number>();
  for (const [, name, value] of output.matchAll(/Test suite (\S+) finished in (\d+)s/g)) {
    suites.set(name as string, Number(value));
  }
  const total = Number(/All suites finished in (\d+)s/.exec(output)?.[1] ?? NaN);
  const counts = /^\d+ passed, \d+ failed, \d+ skipped$/m.exec(output)?.[0] ?? "";
  return { suites, total, counts };
}

const figure = (value: number | undefined) => (value === undefined ? "-" : value.toFixed(1));
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? "-" : (a / b).toFixed(2);
const table = (rows: string[][]) => console.log(formatTable(rows, { rule: true, indent: "  " }));

async function bench(): Promise<void> {
  const values = parseCommandLine(
    { "no-test": { type: "boolean", default: false } },
    {
      text: USAGE,
      help: `${USAGE}\nTimes cold and warm npm start step by step, live/dev's apply per unit and a warm npm test per suite.`,
      separator: "\n",
    },
  );
  const work = await mkdtemp(path.join(os.tmpdir(), "fas-bench-loop-"));
  try {
    const report = path.join(work, "apply-report.json");
    await makeCold();
    console.error("cold npm start ...");
    const cold = await startOnce({ ...process.env, TG_REPORT_FILE: report });
    console.error("warm npm start ...");
    const warm = await startOnce(process.env);
    const units = await unitTimes(report).catch(() => [] as [string, number, number][]);
    const tests = values["no-test"] ? undefined : (console.error("warm npm test ..."), await testOnce());

    const applyStep = [...cold.steps.keys()].find((name) => name.startsWith("terragrunt run --all apply"));
    const coldApply = applyStep === undefined ? undefined : cold.steps.get(applyStep);
    const warmApply = applyStep === undefined ? undefined : warm.steps.get(applyStep);
    console.log("\nnpm start, seconds (reference: the issue's figures before this work)");
    const names = [...new Set([...cold.steps.keys(), ...warm.steps.keys()])];
    table([
      ["step", "cold", "warm", "warm/cold"],
      ...names.map((name) => [
        name,
        figure(cold.steps.get(name)),
        figure(warm.steps.get(name)),
        ratio(warm.steps.get(name), cold.steps.get(name)),
      ]),
      [
        "ready URL",
        figure(cold.readySeconds),
        figure(warm.readySeconds),
        ratio(warm.readySeconds, cold.readySeconds),
      ],
      [
        "ready URL, reference",
        figure(REFERENCE.coldStart),
        figure(REFERENCE.warmStart),
        ratio(REFERENCE.warmStart, REFERENCE.coldStart),
      ],
      [
        "ready URL / reference",
        ratio(cold.readySeconds, REFERENCE.coldStart),
        ratio(warm.readySeconds, REFERENCE.warmStart),
        "",
      ],
      ["apply, reference", figure(REFERENCE.coldApply), figure(REFERENCE.warmApply), ""],
      ["apply / reference", ratio(coldApply, REFERENCE.coldApply), ratio(warmApply, REFERENCE.warmApply), ""],
    ]);

    console.log("\nlive/dev apply of the cold start, per unit (seconds, by start)");
    table([
      ["unit", "starts at", "takes"],
      ...units.map(([unit, at, takes]) => [unit, figure(at), figure(takes)]),
    ]);

    if (tests) {
      console.log(`\nwarm npm test per suite, seconds (${tests.counts})`);
      table([
        ["suite", "now", "reference", "now/reference"],
        ...[...tests.suites].map(([name, value]) => [
          name,
          figure(value),
          figure(REFERENCE.suites[name]),
          ratio(value, REFERENCE.suites[name]),
        ]),
        ["all suites", figure(tests.total), figure(REFERENCE.test), ratio(tests.total, REFERENCE.test)],
      ]);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

runCommand(bench);
