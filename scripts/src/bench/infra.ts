/**
 * `npm run bench:infra [-- --env dev] [--runs 2]`: how long `terragrunt run --all plan` of live/<env> takes
 * (a) with and without a provider cache and (b) with Terragrunt's default parallelism and with --parallelism 1,
 * against a fresh AWS emulator (moto) that the command starts on a free loopback port and stops at the end.
 *
 * What is planned: the environment as never applied (an empty emulator). Every unit is planned; units read
 * their dependencies' mock_outputs (allowed for plan), so no apply is needed and every run does the same work:
 * bootstrap the state bucket, init every unit (module copy + providers), refresh nothing, plan everything.
 *
 * The provider modes (how this project installs providers: scripts/setup.sh writes .tools/tofurc with
 * plugin_cache_dir and, offline, a filesystem_mirror of unpacked provider binaries; Terragrunt 1.x with
 * OpenTofu >= 1.10 also sets TF_PLUGIN_CACHE_DIR itself, its "auto provider cache dir", unless
 * TG_NO_AUTO_PROVIDER_CACHE_DIR is set):
 *   - with cache: the project's CLI config plus a plugin cache (TF_PLUGIN_CACHE_DIR, which is what Terragrunt's
 *     auto provider cache dir sets), empty at the start of each run: the first unit fills it, the others link.
 *   - without cache: a CLI config without plugin_cache_dir, TG_NO_AUTO_PROVIDER_CACHE_DIR=true, and the same
 *     provider binaries served as zip archives (a packed filesystem mirror built once by this command), so every
 *     unit unpacks its own copy, as every unit downloads and unpacks its own from a registry without a cache
 *     (minus the network).
 *   - without cache, unpacked mirror: no plugin cache but the project's own mirror of unpacked binaries, which
 *     OpenTofu links into each unit instead of copying. Shows what the cache still adds in the project's
 *     offline mode. (Skipped in registry mode, where the project's CLI config has no mirror.)
 * Every run uses a fresh, empty Terragrunt download dir (TG_DOWNLOAD_DIR, the .terragrunt-cache) and a reset
 * emulator, so nothing is warm that should be cold. The shared live/<env>/*\/.terragrunt-cache folders are not
 * touched (other runs may be using them).
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { existsSync, readFileSync, readdirSync, realpathSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseCommandLine, runCommand, UsageError } from "../lib/command.js";
import { checkEnvironment, envDir, environments, repoRoot, unitsOf } from "../lib/environments.js";
import { run } from "@fargate-ai-stack/test-support";
import { projectEnv } from "../lib/project-env.js";
import { formatTable } from "../lib/table.js";
import { useLocalHostedZone } from "../local/hosted-zone.js";
import { startEmulator, type Emulator } from "@fargate-ai-stack/test-support";

const USAGE = `Usage: npm run bench:infra [-- --env ${environments().join("|")}] [--runs N]
Times \`terragrunt run --all plan\` of live/<env> (default dev) against a fresh AWS emulator: with vs without a
provider cache, and default parallelism vs --parallelism 1. Each measurement is repeated N times (default 2,
1-5) and the median is reported.`;

function parseInfraCommandLine(): { env: string; runs: number } {
  const values = parseCommandLine(
    { env: { type: "string", default: "dev" }, runs: { type: "string", default: "2" } },
    { text: USAGE, separator: "\n" },
  );
  const env = checkEnvironment(values.env, "--env");
  const runs = Number(values.runs);
  if (!/^\d+$/.test(values.runs ?? "") || runs < 1 || runs > 5) {
    throw new UsageError(`--runs must be a whole number from 1 to 5 (got '${values.runs}')`);
  }
  return { env, runs };
}

// --- provider configurations ------------------------------------------------------------------------------
interface ProjectCliConfig {
  file: string;
  text: string;
  /** The filesystem_mirror path, when the project is in mirror mode. */
  mirror?: string;
}

function readProjectCliConfig(): ProjectCliConfig {
  const file = path.join(repoRoot, ".tools", "tofurc");
  if (!existsSync(file)) throw new Error(`${file} is missing: run 'npm run setup' first`);
  const text = readFileSync(file, "utf8");
  const mirror = /filesystem_mirror\s*\{[^}]*?path\s*=\s*"([^"]+)"/s.exec(text)?.[1];
  return mirror ? { file, text, mirror } : { file, text };
}

/** The project's CLI config without plugin_cache_dir (and with another mirror path when given). */
function withoutPluginCache(config: ProjectCliConfig, mirror?: string): string {
  let text = config.text.replace(/^\s*plugin_cache_dir\s*=.*$/m, "# plugin_cache_dir removed by bench:infra");
  if (mirror && config.mirror) text = text.replace(`"${config.mirror}"`, JSON.stringify(mirror));
  return text;
}

/**
 * A packed filesystem mirror (HOST/NAMESPACE/TYPE/terraform-provider-TYPE_VERSION_PLATFORM.zip) of the
 * unpacked one: the same binaries, in the archives a registry serves.
 */
async function packMirror(unpacked: string, packed: string, workDir: string): Promise<void> {
  const archives = new Map<string, string>(); // provider binary's real path -> zip already made
  for (const host of readdirSync(unpacked)) {
    for (const namespace of readdirSync(path.join(unpacked, host))) {
      for (const type of readdirSync(path.join(unpacked, host, namespace))) {
        for (const version of readdirSync(path.join(unpacked, host, namespace, type))) {
          for (const platform of readdirSync(path.join(unpacked, host, namespace, type, version))) {
            const dir = path.join(unpacked, host, namespace, type, version, platform);
            const files = readdirSync(dir).map((name) => realpathSync(path.join(dir, name)));
            const destDir = path.join(packed, host, namespace, type);
            const zip = path.join(destDir, `terraform-provider-${type}_${version}_${platform}.zip`);
            await mkdir(destDir, { recursive: true });
            const key = files.join("\n");
            const existing = archives.get(key);
            if (existing) {
              await writeFile(zip, await readFile(existing));
              continue;
            }
            // zip stores each file under its own name (-j), deflated (-6, the zip default, as registries ship).
            const staging = path.join(workDir, "staging", `${namespace}-${type}-${version}-${platform}`);
            await mkdir(staging, { recursive: true });
            const zipped = await run("zip", ["-q", "-j", "-6", zip, ...files], { cwd: staging });
            if (zipped.code !== 0) throw new Error(`zip failed for ${dir}: ${zipped.stderr}`);
            archives.set(key, zip);
          }
        }
      }
    }
  }
}

// --- measurements -----------------------------------------------------------------------------------------
interface Scenario {
  id: string;
  label: string;
  cliConfig: string;
  pluginCache: boolean;
  parallelism?: number;
}

interface Measurement {
  seconds: number;
  /** KiB of each unit's .terraform (du, symlinks not followed). */
  unitDisk: Map<string, number>;
  pluginCacheKiB: number;
  /** Provider packages installed into a unit, and taken from the shared cache, per OpenTofu's init output. */
  installed: number;
  fromCache: number;
}

async function duKiB(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  const result = await run("du", ["-sk", dir]);
  return Number(result.stdout.split("\t")[0]) || 0;
}

/** Every .terraform directory under dir (not following symlinks), with the unit it belongs to. */
async function dotTerraformDirs(dir: string): Promise<Array<{ unit: string; dir: string }>> {
  const found: Array<{ unit: string; dir: string }> = [];
  const walk = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = path.join(current, entry.name);
      if (entry.name === ".terraform") {
        // The backend state names the unit: key = live/<env>/<unit>/terraform.tfstate.
        let unit = path.basename(current);
        try {
          const state = JSON.parse(await readFile(path.join(full, "terraform.tfstate"), "utf8")) as {
            backend?: { config?: { key?: string } };
          };
          const key = state.backend?.config?.key;
          if (key) unit = path.basename(path.dirname(key));
        } catch {
          // no backend state: keep the folder name
        }
        found.push({ unit, dir: full });
      } else {
        await walk(full);
      }
    }
  };
  if (existsSync(dir)) await walk(dir);
  return found;
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

async function measure(
  scenario: Scenario,
  env: string,
  emulator: Emulator,
  runDir: string,
  logFile: string,
  signal: AbortSignal,
): Promise<Measurement> {
  await emulator.reset();
  await rm(runDir, { recursive: true, force: true });
  const downloadDir = path.join(runDir, "terragrunt-cache");
  const pluginCache = path.join(runDir, "plugin-cache");
  await mkdir(downloadDir, { recursive: true });
  const base = projectEnv();
  for (const name of Object.keys(base)) {
    // Nothing inherited may change what is measured.
    if (/^(TF_PLUGIN_CACHE_DIR|TF_DATA_DIR|TG_PROVIDER_CACHE.*|TG_DOWNLOAD_DIR|TG_PARALLELISM)$/.test(name)) {
      delete base[name];
    }
  }
  const runEnv: NodeJS.ProcessEnv = {
    ...base,
    AWS_ENDPOINT_URL: emulator.url,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    FAS_IMAGE_SOURCE: "fixture",
    // Production plans need HTTPS: its domain in a hosted zone of the emulator, as `npm start` gives it.
    ...(await useLocalHostedZone(emulator.url)),
    TF_CLI_CONFIG_FILE: scenario.cliConfig,
    TG_DOWNLOAD_DIR: downloadDir,
    NO_COLOR: "1",
  };
  if (scenario.pluginCache) {
    await mkdir(pluginCache, { recursive: true });
    runEnv.TF_PLUGIN_CACHE_DIR = pluginCache;
  } else {
    runEnv.TG_NO_AUTO_PROVIDER_CACHE_DIR = "true";
  }
  const args = ["run", "--all", "--non-interactive"];
  if (scenario.parallelism) args.push("--parallelism", String(scenario.parallelism));
  args.push("plan", "--", "-no-color", "-input=false");
  const started = performance.now();
  const result = await run("terragrunt", args, { cwd: envDir(env), env: runEnv, signal });
  const seconds = (performance.now() - started) / 1000;
  const output = `${result.stdout}\n${result.stderr}`;
  await writeFile(logFile, output);
  if (result.code !== 0) {
    throw new Error(
      `terragrunt run --all plan failed (exit ${result.code}) in scenario '${scenario.label}'; last lines:\n` +
        output.trim().split("\n").slice(-30).join("\n"),
    );
  }
  const unitDisk = new Map<string, number>();
  for (const { unit, dir } of await dotTerraformDirs(downloadDir)) {
    unitDisk.set(unit, (unitDisk.get(unit) ?? 0) + (await duKiB(dir)));
  }
  const measurement: Measurement = {
    seconds,
    unitDisk,
    pluginCacheKiB: scenario.pluginCache ? await duKiB(pluginCache) : 0,
    installed: count(output, /- Installed \S+ v[\d.]+/g),
    fromCache: count(output, /from the shared cache directory/g),
  };
  await rm(runDir, { recursive: true, force: true });
  return measurement;
}

// --- report -----------------------------------------------------------------------------------------------
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const seconds = (value: number) => `${value.toFixed(1)} s`;
const size = (kib: number) =>
  kib >= 1024 * 1024
    ? `${(kib / 1024 / 1024).toFixed(2)} GB`
    : kib >= 1024
      ? `${(kib / 1024).toFixed(1)} MB`
      : `${kib} KB`;
const table = (rows: string[][]) =>
  formatTable(rows, { align: (column) => (column === 0 ? "left" : "right"), gap: "   " });

/**
 * The modes to measure: with the project's cache; without it (a packed mirror in mirror mode, which the
 * command builds once; else the registry); without it but linking the unpacked mirror; --parallelism 1.
 */
async function scenarios(project: ProjectCliConfig, workDir: string): Promise<Scenario[]> {
  const list: Scenario[] = [
    { id: "cache", label: "with cache (project default)", cliConfig: project.file, pluginCache: true },
  ];
  const noCacheConfig = path.join(workDir, "tofurc-no-cache");
  if (project.mirror) {
    console.error(`==> Packing the provider mirror ${project.mirror} into zip archives (once) ...`);
    const packStarted = performance.now();
    const packed = path.join(workDir, "packed-mirror");
    await packMirror(project.mirror, packed, workDir);
    console.error(`    done in ${seconds((performance.now() - packStarted) / 1000)}`);
    await writeFile(noCacheConfig, withoutPluginCache(project, packed));
    const linkConfig = path.join(workDir, "tofurc-no-cache-unpacked");
    await writeFile(linkConfig, withoutPluginCache(project));
    list.push(
      {
        id: "nocache",
        label: "without cache (zip unpacked per unit)",
        cliConfig: noCacheConfig,
        pluginCache: false,
      },
      {
        id: "nocache-links",
        label: "without cache, unpacked mirror (links)",
        cliConfig: linkConfig,
        pluginCache: false,
      },
    );
  } else {
    // Registry mode: without a cache every unit downloads and unpacks its own providers.
    await writeFile(noCacheConfig, withoutPluginCache(project));
    list.push({
      id: "nocache",
      label: "without cache (registry download per unit)",
      cliConfig: noCacheConfig,
      pluginCache: false,
    });
  }
  list.push({
    id: "p1",
    label: "with cache, --parallelism 1",
    cliConfig: project.file,
    pluginCache: true,
    parallelism: 1,
  });
  return list;
}

interface Bench {
  env: string;
  runs: number;
  workDir: string;
  emulator: Emulator;
  signal: AbortSignal;
}

/** Each scenario `runs` times, in rounds that interleave them, so a change in the machine's load hits all alike. */
async function measureAll(bench: Bench, scenarios: Scenario[]): Promise<Map<string, Measurement[]>> {
  const results = new Map<string, Measurement[]>(scenarios.map((s) => [s.id, []]));
  const total = bench.runs * scenarios.length;
  let done = 0;
  for (let round = 1; round <= bench.runs; round++) {
    for (const scenario of scenarios) {
      const m = await measure(
        scenario,
        bench.env,
        bench.emulator,
        path.join(bench.workDir, "run"),
        path.join(bench.workDir, `${scenario.id}-${round}.log`),
        bench.signal,
      );
      results.get(scenario.id)!.push(m);
      done++;
      console.error(
        `    [${done}/${total}] ${scenario.label}, run ${round}: ${seconds(m.seconds)}, .terraform total ${size(
          [...m.unitDisk.values()].reduce((a, b) => a + b, 0),
        )}`,
      );
    }
  }
  return results;
}

/** The measurements of one mode: median, the runs, the last run's disk use. */
function statistics(results: Map<string, Measurement[]>) {
  const last = (id: string) => results.get(id)!.at(-1)!;
  const totalDisk = (id: string) => [...last(id).unitDisk.values()].reduce((a, b) => a + b, 0);
  return {
    med: (id: string) => median(results.get(id)!.map((m) => m.seconds)),
    runsOf: (id: string) =>
      results
        .get(id)!
        .map((m) => m.seconds.toFixed(1))
        .join(", "),
    last,
    totalDisk,
    perUnit: (id: string) => totalDisk(id) / Math.max(1, last(id).unitDisk.size),
  };
}

interface Report {
  env: string;
  runs: number;
  units: string[];
  emulatorUrl: string;
  loadBefore: number;
  project: ProjectCliConfig;
  scenarios: Scenario[];
  results: Map<string, Measurement[]>;
  benchStarted: number;
}

function reportHeader(r: Report): string[] {
  return [
    "",
    `bench:infra — terragrunt run --all plan of live/${r.env} (${r.units.length} units: ${r.units.join(", ")})`,
    `  what: the environment never applied (empty emulator; dependencies' mock_outputs), fresh moto at ${r.emulatorUrl},`,
    `        reset before every run; every run starts with an empty .terragrunt-cache (TG_DOWNLOAD_DIR) and plugin cache`,
    `  runs: ${r.runs} per measurement, median shown; machine: ${os.cpus().length} cores, load average ${r.loadBefore.toFixed(
      1,
    )} at start, ${os.loadavg()[0]!.toFixed(1)} at end (other jobs share it)`,
    "",
  ];
}

function reportTables(r: Report): string[] {
  const { med, runsOf, last, totalDisk, perUnit } = statistics(r.results);
  const cacheScenarios = r.scenarios.filter((s) => !s.parallelism);
  return [
    "(a) provider cache (default parallelism)",
    table([
      [
        "mode",
        "median",
        "runs (s)",
        "ratio",
        ".terraform/unit",
        ".terraform total",
        "plugin cache",
        "installs",
      ],
      ...cacheScenarios.map((s) => [
        s.label,
        seconds(med(s.id)),
        runsOf(s.id),
        `${(med(s.id) / med("cache")).toFixed(2)}x`,
        size(Math.round(perUnit(s.id))),
        size(totalDisk(s.id)),
        s.pluginCache ? size(last(s.id).pluginCacheKiB) : "-",
        `${last(s.id).installed} unpacked/linked, ${last(s.id).fromCache} from cache`,
      ]),
    ]),
    "",
    "(b) parallelism (with cache)",
    table([
      ["mode", "median", "runs (s)", "ratio"],
      [
        "default (Terragrunt: unbounded, limited by the DAG)",
        seconds(med("cache")),
        runsOf("cache"),
        "1.00x",
      ],
      ["--parallelism 1", seconds(med("p1")), runsOf("p1"), `${(med("p1") / med("cache")).toFixed(2)}x`],
    ]),
    "",
    "Ratios: time of the mode / time with cache and default parallelism (> 1 = slower).",
    "",
    "Disk per unit's .terraform (last run of each mode):",
    table([
      ["unit", ...cacheScenarios.map((s) => s.id)],
      ...r.units.map((unit) => [
        unit,
        ...cacheScenarios.map((s) => {
          const kib = last(s.id).unitDisk.get(unit);
          return kib === undefined ? "-" : size(kib);
        }),
      ]),
    ]),
    "",
  ];
}

function reportModes(r: Report): string[] {
  return [
    `Modes: cache = the project's CLI config (${r.project.mirror ? "unpacked filesystem mirror" : "registry"}) + a plugin cache`,
    "       (TF_PLUGIN_CACHE_DIR, as Terragrunt's auto provider cache dir sets it);",
    r.project.mirror
      ? "       nocache = no plugin_cache_dir, TG_NO_AUTO_PROVIDER_CACHE_DIR=true, the same binaries as zip archives: every\n" +
        "       unit unpacks its own copy (as registry downloads without a cache do, minus the network);\n" +
        "       nocache-links = no plugin cache, the project's unpacked mirror: OpenTofu symlinks it into every unit."
      : "       nocache = no plugin_cache_dir, TG_NO_AUTO_PROVIDER_CACHE_DIR=true: every unit downloads its own copy.",
    "       Terragrunt's provider cache server (--provider-cache) is not measured: it caches registry downloads,",
    "       and the project does not turn it on.",
    `Total bench time: ${seconds((performance.now() - r.benchStarted) / 1000)}`,
  ];
}

async function benchInfra(): Promise<void> {
  const { env, runs } = parseInfraCommandLine();
  const benchStarted = performance.now();
  const units = unitsOf(env);
  const project = readProjectCliConfig();
  const workDir = await mkdtemp(path.join(os.tmpdir(), "fas-bench-infra-"));
  let emulator: Emulator | undefined;
  const abort = new AbortController();
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await emulator?.stop().catch(() => undefined);
      await rm(workDir, { recursive: true, force: true });
    })());
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping terragrunt and the emulator, removing ${workDir} ...`);
      abort.abort();
      // Give terragrunt a moment to stop OpenTofu before its folders go.
      void new Promise((resolve) => setTimeout(resolve, 3000)).then(cleanup).finally(() => process.exit(130));
    });
  }
  const loadBefore = os.loadavg()[0]!;
  try {
    const modeList = await scenarios(project, workDir);
    console.error("==> Starting a fresh AWS emulator (moto) ...");
    emulator = await startEmulator();
    console.error(`    at ${emulator.url}`);
    const results = await measureAll({ env, runs, workDir, emulator, signal: abort.signal }, modeList);
    const report: Report = {
      env,
      runs,
      units,
      emulatorUrl: emulator.url,
      loadBefore,
      project,
      scenarios: modeList,
      results,
      benchStarted,
    };
    console.log([...reportHeader(report), ...reportTables(report), ...reportModes(report)].join("\n"));
  } finally {
    await cleanup();
  }
}

runCommand(benchInfra);
