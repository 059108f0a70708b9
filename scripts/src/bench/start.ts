/**
 * `npm run bench:start`: wall time of `npm start` until its app URL is ready, cold and warm, and of the
 * `terragrunt run --all apply` of live/dev inside it, side by side in one run.
 *
 * Cold: no app images or build cache for them, no .terragrunt-cache under live/dev (the pinned tools, the
 * provider cache and the base image stay: they are setup's, not start's). Warm: the same again right after.
 * Each run is stopped with SIGINT, as Ctrl-C would, before the next.
 *
 * Usage: npm run bench:start [-- --runs N]
 */
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { parseCommandLine, runCommand, UsageError } from "../lib/command.js";
import { repoRoot } from "../lib/environments.js";
import { freePort, run } from "@fargate-ai-stack/test-support";

const USAGE = "Usage: npm run bench:start [-- --runs N]";

interface Sample {
  readySeconds: number;
  applySeconds: number;
}

async function startOnce(): Promise<Sample> {
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
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], detached: true },
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
  const applySeconds = Number(/live\/dev applied in ([\d.]+)s/.exec(output)?.[1] ?? NaN);
  process.kill(-(child.pid as number), "SIGINT");
  await exited;
  return { readySeconds, applySeconds };
}

async function makeCold(): Promise<void> {
  const images = await run("podman", [
    "images",
    "--format",
    "{{.Repository}}:{{.Tag}}",
    "--filter",
    "reference=localhost/fargate-ai-stack/frontend",
  ]);
  const backend = await run("podman", [
    "images",
    "--format",
    "{{.Repository}}:{{.Tag}}",
    "--filter",
    "reference=localhost/fargate-ai-stack/backend",
  ]);
  const names = `${images.stdout}\n${backend.stdout}`.split("\n").filter((n) => n && !n.endsWith(":<none>"));
  for (const name of names) {
    await run("podman", ["manifest", "rm", name]);
    await run("podman", ["rmi", "-f", name]);
  }
  // Drops the layers only these images used (their build cache); base images stay tagged.
  await run("podman", ["image", "prune", "-f"]);
  await rm(path.join(repoRoot, ".run", "local", "registry"), { recursive: true, force: true });
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

async function bench(): Promise<void> {
  const values = parseCommandLine(
    { runs: { type: "string", default: "1" } },
    {
      text: USAGE,
      help: `${USAGE}\nTimes npm start until its app URL is ready, cold and warm (median of N runs each, 1-5, default 1).`,
      separator: "\n",
    },
  );
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 5) {
    throw new UsageError(`--runs must be 1 to 5 (got '${values.runs}')`);
  }
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    await makeCold();
    console.error(`run ${i + 1}/${runs}: cold start ...`);
    cold.push(await startOnce());
    console.error(`run ${i + 1}/${runs}: warm start ...`);
    warm.push(await startOnce());
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const coldReady = median(cold.map((s) => s.readySeconds));
  const warmReady = median(warm.map((s) => s.readySeconds));
  const coldApply = median(cold.map((s) => s.applySeconds));
  const warmApply = median(warm.map((s) => s.applySeconds));
  console.log(`npm start, median of ${runs} run(s) each (seconds)`);
  console.log("                     cold      warm   warm/cold");
  console.log(
    `ready URL      ${coldReady.toFixed(1).padStart(9)} ${warmReady.toFixed(1).padStart(9)} ${(warmReady / coldReady).toFixed(2).padStart(11)}`,
  );
  console.log(
    `live/dev apply ${coldApply.toFixed(1).padStart(9)} ${warmApply.toFixed(1).padStart(9)} ${(warmApply / coldApply).toFixed(2).padStart(11)}`,
  );
  console.log(
    `apply share of ready: cold ${(coldApply / coldReady).toFixed(2)}, warm ${(warmApply / warmReady).toFixed(2)}`,
  );
}

runCommand(bench);
