/**
 * The infrastructure suite (`npm test -w @fargate-ai-stack/test`) in lanes: each lane is one mocha process that
 * runs its files one after another, and the lanes run at the same time. Most of the suite waits rather than
 * computes (the AWS provider's fixed waits, the emulator, image builds), so lanes pay even on 2 cores.
 *
 * Each test file starts what it needs on free ports and in temporary directories, so files may run beside each
 * other; a lane groups only files that must not. Every file under infra/ runs: one no lane names goes to the last.
 * A lane's output goes to test-results/infra/<lane>.log as it runs and is printed whole when the lane ends, so
 * mocha's "N passing" lines stay as scripts/run.sh adds them up.
 *
 *   FAS_TEST_JOBS=N   at most N lanes at once (default: all; 1 runs the lanes one after another)
 *
 * With file arguments (`npm test -w @fargate-ai-stack/test -- infra/drift.test.ts ...`) it runs just those, one
 * after another, in one lane. `npx mocha` in test/ runs the whole suite in one process, serially.
 */
import { spawn } from "node:child_process";
import { createWriteStream, readFileSync, readdirSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface Lane {
  name: string;
  /** Files under infra/, run in this order. */
  files: string[];
}

/** Longest first, so that with FAS_TEST_JOBS below the number of lanes the long ones start at once. */
const LANES: Lane[] = [
  // npm start and npm run services share .run/local (session file, registry, Podman's socket) and rightly refuse
  // to start beside each other; the system test's Ctrl-C check also looks for any process on that socket.
  { name: "system", files: ["system.test.ts", "services-command.test.ts"] },
  { name: "live-dev", files: ["live-dev.test.ts"] },
  { name: "live-prod", files: ["live-prod.test.ts"] },
  // Applies live/dev under the CI roles against its own emulator: as long as a live lane.
  { name: "ci-roles", files: ["ci-roles.test.ts"] },
  { name: "modules", files: ["modules.test.ts", "reuse.test.ts", "drift.test.ts", "backend-change.test.ts"] },
  // The rest: Podman builds and registries, and the quick static checks.
  { name: "images", files: ["containers.test.ts", "images.test.ts"] },
];

const testDir = path.dirname(fileURLToPath(import.meta.url));
const infraDir = path.join(testDir, "infra");
const logDir = path.join(testDir, "..", "test-results", "infra");
const mocha = path.join(
  path.dirname(fileURLToPath(import.meta.resolve("mocha/package.json"))),
  "bin",
  "mocha.js",
);

/** Every file of the suite in exactly one lane; or the files asked for, in one. */
function planLanes(asked: string[]): Lane[] {
  if (asked.length > 0)
    return [{ name: "selected", files: asked.map((file) => path.relative(infraDir, path.resolve(file))) }];
  const found = readdirSync(infraDir)
    .filter((file) => file.endsWith(".test.ts"))
    .sort();
  const named = LANES.flatMap((lane) => lane.files);
  const missing = named.filter((file) => !found.includes(file));
  if (missing.length > 0)
    throw new Error(`lanes name files that infra/ does not have: ${missing.join(", ")}`);
  const twice = named.filter((file, index) => named.indexOf(file) !== index);
  if (twice.length > 0) throw new Error(`files in more than one lane: ${twice.join(", ")}`);
  const lanes = LANES.map((lane) => ({ ...lane, files: [...lane.files] }));
  lanes.at(-1)!.files.push(...found.filter((file) => !named.includes(file)));
  return lanes;
}

/** .mocharc.json's settings as command-line options, without its spec (mocha adds a spec given there to ours). */
function mochaOptions(): string[] {
  const config = JSON.parse(readFileSync(path.join(testDir, ".mocharc.json"), "utf8")) as Record<
    string,
    string | number | boolean | string[]
  >;
  return Object.entries(config)
    .filter(([key]) => key !== "spec")
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `--${key}=${String(v)}`));
}

interface LaneResult {
  lane: Lane;
  code: number;
  seconds: number;
  output: string;
}

const children = new Set<ReturnType<typeof spawn>>();

function runLane(lane: Lane, options: string[]): Promise<LaneResult> {
  const started = Date.now();
  const log = createWriteStream(path.join(logDir, `${lane.name}.log`));
  const child = spawn(
    process.execPath,
    [
      mocha,
      "--no-config",
      ...options,
      ...(process.stdout.isTTY ? ["--color"] : []),
      ...lane.files.map((f) => path.join("infra", f)),
    ],
    { cwd: testDir, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.add(child);
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  return new Promise((resolve) => {
    child.once("close", (code, signal) => {
      children.delete(child);
      log.end();
      const seconds = Math.round((Date.now() - started) / 1000);
      resolve({ lane, code: code ?? (signal ? 128 : 1), seconds, output });
    });
  });
}

/** mocha's summary count of `what` (passing, failing, pending) in a lane's output. */
function count(output: string, what: string): number {
  return [...output.matchAll(new RegExp(`^ *(\\d+) ${what}\\b`, "gm"))].reduce((n, m) => n + Number(m[1]), 0);
}

async function main(): Promise<number> {
  const lanes = planLanes(process.argv.slice(2));
  const jobs = Math.max(1, Number(process.env.FAS_TEST_JOBS ?? lanes.length) || lanes.length);
  await mkdir(logDir, { recursive: true });
  const options = mochaOptions();
  console.log(
    `Infrastructure suite in ${lanes.length} lanes, ${Math.min(jobs, lanes.length)} at a time; ` +
      `each lane's output as it runs: test-results/infra/<lane>.log`,
  );
  for (const lane of lanes) console.log(`  ${lane.name}: ${lane.files.join(", ")}`);
  const started = Date.now();
  const queue = [...lanes];
  const results: LaneResult[] = [];
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      const result = await runLane(lane, options);
      results.push(result);
      console.log(`\n── lane ${lane.name}: exit ${result.code} in ${result.seconds} s ──`);
      process.stdout.write(result.output);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, lanes.length) }, worker));
  console.log(`\nInfrastructure lanes (wall time ${Math.round((Date.now() - started) / 1000)} s):`);
  for (const { lane, code, seconds, output } of lanes.map((l) => results.find((r) => r.lane === l)!)) {
    console.log(
      `  lane ${lane.name.padEnd(10)} ${String(seconds).padStart(5)} s  exit ${code}  ` +
        `${count(output, "passing")} passed, ${count(output, "failing")} failed, ${count(output, "pending")} skipped`,
    );
  }
  // Failures once more at the very end, where a truncated CI log still shows them (prefixed, so that mocha's
  // "N failing" is not counted twice by scripts/run.sh).
  for (const { lane, code, output } of results.filter((r) => r.code !== 0)) {
    // From mocha's last "N failing"; a lane that ended without one (a crash): its last lines.
    const failing = output.search(/^ *\d+ failing\b(?![\s\S]*^ *\d+ failing\b)/m);
    const lines =
      failing >= 0
        ? output.slice(failing).split("\n").slice(0, FAILURE_LINES)
        : output.split("\n").slice(-FAILURE_LINES);
    console.log(
      `\nFailures of lane ${lane.name} (exit ${code}; whole log: test-results/infra/${lane.name}.log):`,
    );
    for (const line of lines) console.log(`│ ${line}`);
  }
  return results.some((r) => r.code !== 0) ? 1 : 0;
}

/** Lines of each failed lane's failure report repeated at the end. */
const FAILURE_LINES = 80;

// The lanes share this process group, so a terminal's Ctrl-C reaches each mocha directly, as when one mocha ran
// the suite: wait for them rather than send it twice. A SIGTERM is meant for this process alone: pass it on.
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => {
  for (const child of children) child.kill("SIGTERM");
});

process.exitCode = await main();
