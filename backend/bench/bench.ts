// npm run bench -w backend
// Loopback-only benchmark of the backend against the fake OpenAI server, each in its own
// process: streaming overhead (time to first token and total, through the backend vs straight
// to the upstream) at 1, 50 and 200 concurrent streams; /healthz throughput vs a bare Express
// app; RSS with 1,000 open streams; open sockets and handles after 10,000 requests; and time to
// first token with sign-in and budgets on (token verification + a DynamoDB reservation in the
// emulator) against the same backend with AUTH_DISABLED=true and no table.
// Bounded: every phase has a fixed size and a watchdog ends the run if anything hangs.

import { fork, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { availableParallelism, loadavg } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  answersOk,
  createTestBudgetTable,
  createTestUserPool,
  emulatorCredentials,
  freePort,
  startEmulator,
  TEST_PASSWORD,
  waitFor,
  type Emulator,
} from "@fargate-ai-stack/test-support";
import autocannon from "autocannon";

/** What bench/backend-child.mjs reports over IPC. */
interface ProcessStats {
  rssMB: number;
  heapUsedMB: number;
  fds: number;
  handles: Record<string, number>;
}

const HERE = fileURLToPath(new URL(".", import.meta.url));
const REPO_ROOT = resolve(HERE, "../..");
const WATCHDOG_MS = 8 * 60_000;

// What the fake upstream does: a realistic model latency so ratios mean something.
const FIRST_TOKEN_DELAY_MS = 300;
const TOKENS = 30;
const TOKEN_DELAY_MS = 20;
/** Roughly how long one stream takes; used to stagger the first starts. */
const STREAM_MS = FIRST_TOKEN_DELAY_MS + TOKENS * TOKEN_DELAY_MS;
const REPLY = Array.from({ length: TOKENS }, (_, i) => `tok${i}`).join(" ");
const CHAT_BODY = JSON.stringify({ messages: [{ role: "user", content: "Benchmark me, please." }] });
const DIRECT_BODY = JSON.stringify({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "Benchmark me, please." }],
  stream: true,
  stream_options: { include_usage: true },
});

const children: ChildProcess[] = [];

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `url` answers 200. */
function waitFor200(url: string): Promise<void> {
  return waitFor(url, () => answersOk(url), { timeoutMs: 30_000, intervalMs: 100 });
}

interface Fake {
  url: string;
  control: string;
  setScenario(s: Record<string, unknown>): Promise<void>;
  state(): Promise<{ requests: number; aborted: number; inFlight: number }>;
}

async function startFake(): Promise<Fake> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/fake-openai/src/cli.ts", "--port", "0", "--host", "127.0.0.1"],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  children.push(child);
  const url = await new Promise<string>((res, rej) => {
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (s: string) => {
      out += s;
      const m = /^listening (\S+)$/m.exec(out);
      if (m?.[1]) res(m[1]);
    });
    child.once("exit", () => rej(new Error("fake OpenAI exited during start-up")));
  });
  const control = url.replace(/\/v1$/, "/__control");
  return {
    url,
    control,
    async setScenario(s) {
      const res = await fetch(`${control}/scenario`, { method: "POST", body: JSON.stringify(s) });
      if (!res.ok) throw new Error(`scenario rejected: ${await res.text()}`);
    },
    async state() {
      return (await (await fetch(`${control}/state`)).json()) as {
        requests: number;
        aborted: number;
        inFlight: number;
      };
    },
  };
}

interface Backend {
  url: string;
  /** CPU seconds the process has used so far (user + system). */
  cpuSeconds(): number;
  stop(): Promise<void>;
  stats(): Promise<ProcessStats>;
}

async function startBackend(
  fakeUrl: string,
  env: Record<string, string> = { AUTH_DISABLED: "true" },
): Promise<Backend> {
  const port = await freePort();
  // The compiled server (npm run build ran first), as `npm start` runs it in the container.
  const child = fork(resolve(HERE, "backend-child.mjs"), [], {
    cwd: REPO_ROOT,
    execArgv: ["--expose-gc", "--conditions=production"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      HOST: "127.0.0.1",
      PORT: String(port),
      OPENAI_BASE_URL: fakeUrl,
      OPENAI_API_KEY: "sk-bench-0000000000000000",
      OPENAI_MAX_RETRIES: "0",
      LOG_LEVEL: "info",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      // Default: sign-in and budgets off, the baseline every phase but the signed-in one uses.
      ...env,
    },
    // Logs go to /dev/null: they are still formatted and written, as in production.
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(`${url}/healthz`);
  return {
    url,
    cpuSeconds: () => cpuSecondsOf(child.pid),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((res) => child.once("exit", res));
      child.kill("SIGTERM");
      await exited;
    },
    stats: () =>
      new Promise<ProcessStats>((res) => {
        const onMessage = (m: unknown): void => {
          if (typeof m !== "object" || m === null) return;
          child.off("message", onMessage);
          res(m as ProcessStats);
        };
        child.on("message", onMessage);
        child.send("stats");
      }),
  };
}

function cpuSecondsOf(pid: number | undefined): number {
  // Fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Server {
  url: string;
  cpuSeconds(): number;
}

async function startBare(): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [resolve(HERE, "bare-child.mjs")], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(`${url}/healthz`);
  return { url, cpuSeconds: () => cpuSecondsOf(child.pid) };
}

// ---------------------------------------------------------------------------------------
// Streaming client: raw node:http so the client's own overhead is small and equal for both.

interface Timing {
  ttftMs: number;
  totalMs: number;
}

interface StreamTarget {
  url: string;
  path: string;
  body: string;
  /** True once the buffered start of the response holds the first content token. */
  firstToken: (head: string) => boolean;
  /** Default: the fake's placeholder key (the backend ignores it with sign-in off). */
  authorization?: string;
}

const viaBackend = (url: string, accessToken?: string): StreamTarget => ({
  url,
  path: "/api/chat",
  body: CHAT_BODY,
  firstToken: (head) => head.includes("event: delta"),
  ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
});

const direct = (fakeUrl: string): StreamTarget => ({
  url: fakeUrl.replace(/\/v1$/, ""),
  path: "/v1/chat/completions",
  body: DIRECT_BODY,
  firstToken: (head) => /"delta":\{"content":"[^"]/.test(head),
});

function streamOnce(
  agent: Agent,
  target: StreamTarget,
  opts: { holdOpen?: (abort: () => void) => void } = {},
) {
  return new Promise<Timing>((res, rej) => {
    const { hostname, port } = new URL(target.url);
    const started = performance.now();
    let ttft: number | undefined;
    const req = request(
      {
        agent,
        hostname,
        port,
        method: "POST",
        path: target.path,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(target.body),
          authorization: target.authorization ?? "Bearer sk-bench-0000000000000000",
        },
      },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          rej(new Error(`HTTP ${response.statusCode} from ${target.url}${target.path}`));
          return;
        }
        response.setEncoding("utf8");
        let head = "";
        response.on("data", (chunk: string) => {
          if (ttft !== undefined) return;
          head += chunk;
          if (target.firstToken(head)) {
            ttft = performance.now() - started;
            opts.holdOpen?.(() => req.destroy());
          } else if (head.length > 8192) head = head.slice(-1024);
        });
        response.on("end", () => {
          if (ttft === undefined) rej(new Error("stream ended without a token"));
          else res({ ttftMs: ttft, totalMs: performance.now() - started });
        });
        response.on("error", () => res({ ttftMs: ttft ?? Number.NaN, totalMs: performance.now() - started }));
      },
    );
    req.on("error", (err) => {
      if (ttft !== undefined) res({ ttftMs: ttft, totalMs: performance.now() - started });
      else rej(err);
    });
    req.end(target.body);
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/** N streams started at the same instant (a thundering herd). */
async function burst(target: StreamTarget, n: number): Promise<Timing[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  try {
    return await Promise.all(Array.from({ length: n }, () => streamOnce(agent, target)));
  } finally {
    agent.destroy();
  }
}

/**
 * N streams in flight at all times: N workers, each starting its next stream when the last
 * one ends; first starts spread over one stream's duration, as real users arrive.
 */
async function steady(target: StreamTarget, n: number, perWorker: number): Promise<Timing[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const out: Timing[] = [];
  try {
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        await sleep((i / n) * STREAM_MS);
        for (let k = 0; k < perWorker; k += 1) out.push(await streamOnce(agent, target));
      }),
    );
    return out;
  } finally {
    agent.destroy();
  }
}

interface StreamResult {
  label: string;
  direct: Timing[];
  backend: Timing[];
  /** Backend CPU time per stream relayed, a figure that does not depend on machine load. */
  backendCpuMsPerStream?: number;
  /** Only the steady x200 first-token ratio has a target. */
  target?: number;
}

async function streamingPhase(fake: Fake, backend: Backend): Promise<StreamResult[]> {
  await fake.setScenario({
    kind: "slow",
    firstTokenDelayMs: FIRST_TOKEN_DELAY_MS,
    tokenDelayMs: TOKEN_DELAY_MS,
    reply: REPLY,
  });
  // Warm both paths (JIT, connection pools) before measuring.
  await steady(direct(fake.url), 20, 2);
  await steady(viaBackend(backend.url), 20, 2);
  const results: StreamResult[] = [];
  const plan: {
    label: string;
    run: (t: StreamTarget) => Promise<Timing[]>;
    rounds: number;
    target?: number;
  }[] = [
    { label: "x1", run: (t) => steady(t, 1, 8), rounds: 2 },
    { label: "x50", run: (t) => steady(t, 50, 4), rounds: 2 },
    { label: "x200", run: (t) => steady(t, 200, 3), rounds: 2, target: 1.1 },
    { label: "x200 burst", run: (t) => burst(t, 200), rounds: 2 },
  ];
  for (const step of plan) {
    let cpu = 0;
    const r: StreamResult = {
      label: step.label,
      direct: [],
      backend: [],
      ...(step.target ? { target: step.target } : {}),
    };
    for (let i = 0; i < step.rounds; i += 1) {
      // Alternate which goes first so drift in machine load hits both alike.
      const order = i % 2 === 0 ? (["direct", "backend"] as const) : (["backend", "direct"] as const);
      for (const which of order) {
        const target = which === "direct" ? direct(fake.url) : viaBackend(backend.url);
        const cpuBefore = backend.cpuSeconds();
        r[which].push(...(await step.run(target)));
        if (which === "backend") cpu += backend.cpuSeconds() - cpuBefore;
      }
    }
    r.backendCpuMsPerStream = (cpu * 1000) / r.backend.length;
    log(`streams ${step.label}: ${r.backend.length} via backend, ${r.direct.length} direct`);
    results.push(r);
  }
  return results;
}

// ---------------------------------------------------------------------------------------

interface SignedInResult {
  label: string;
  off: Timing[];
  on: Timing[];
}

/**
 * The cost of sign-in and budgets on the first token: the same chat through a backend that
 * verifies a real emulator token and reserves in a real emulator table, and through one with
 * AUTH_DISABLED=true and no table, alternating rounds. Both run in this one benchmark.
 */
async function signedInPhase(fake: Fake, off: Backend): Promise<SignedInResult[]> {
  const emulator: Emulator = await startEmulator();
  try {
    const pool = await createTestUserPool(emulator);
    const table = await createTestBudgetTable(emulator);
    await pool.addUser("bench@example.com", TEST_PASSWORD);
    const { accessToken } = await pool.signIn("bench@example.com", TEST_PASSWORD);
    const on = await startBackend(fake.url, {
      ...emulatorCredentials,
      AWS_ENDPOINT_URL: emulator.url,
      AUTH_USER_POOL_ID: pool.poolId,
      AUTH_CLIENT_ID: pool.clientId,
      BUDGET_TABLE: table.tableName,
      // Budgets that never run out: the reservation and settlement are measured, not refusals.
      BUDGET_USER_DAILY_TOKENS: "1000000000",
      BUDGET_ENVIRONMENT_DAILY_TOKENS: "1000000000000",
    });
    await fake.setScenario({
      kind: "slow",
      firstTokenDelayMs: FIRST_TOKEN_DELAY_MS,
      tokenDelayMs: TOKEN_DELAY_MS,
      reply: REPLY,
    });
    const targets = { off: viaBackend(off.url), on: viaBackend(on.url, accessToken) };
    await steady(targets.off, 10, 2);
    await steady(targets.on, 10, 2);
    const results: SignedInResult[] = [];
    for (const [label, n, perWorker] of [
      ["x1", 1, 8],
      ["x50", 50, 3],
    ] as const) {
      const r: SignedInResult = { label, off: [], on: [] };
      for (let round = 0; round < 2; round += 1) {
        const order = round % 2 === 0 ? (["off", "on"] as const) : (["on", "off"] as const);
        for (const which of order) r[which].push(...(await steady(targets[which], n, perWorker)));
      }
      log(`signed in ${label}: ${r.on.length} with sign-in and budgets, ${r.off.length} without`);
      results.push(r);
    }
    await on.stop();
    return results;
  } finally {
    await emulator.stop();
  }
}

interface HealthzResult {
  bare: number;
  backend: number;
  /** Server CPU per request, which machine load disturbs far less than requests per second. */
  bareCpuUs: number;
  backendCpuUs: number;
}

async function healthzPhase(backend: Server, bare: Server): Promise<HealthzResult> {
  const ROUNDS = 6;
  const run = async (server: Server, duration: number) => {
    const cpu = server.cpuSeconds();
    const r = await autocannon({ url: `${server.url}/healthz`, connections: 32, duration });
    if (r.non2xx > 0 || r.errors > 0) {
      throw new Error(`/healthz at ${server.url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    }
    return {
      rps: r.requests.average,
      cpuUs: ((server.cpuSeconds() - cpu) * 1e6) / Math.max(1, r.requests.total),
    };
  };
  await run(bare, 2);
  await run(backend, 2);
  const rounds: { bare: { rps: number; cpuUs: number }; backend: { rps: number; cpuUs: number } }[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    // Short alternating rounds, so a burst of other work on the machine hits both sides alike.
    if (i % 2 === 0) {
      const b = await run(bare, 3);
      rounds.push({ bare: b, backend: await run(backend, 3) });
    } else {
      const k = await run(backend, 3);
      rounds.push({ bare: await run(bare, 3), backend: k });
    }
  }
  const median = (xs: number[]) => percentile(xs, 50);
  const result = {
    bare: median(rounds.map((r) => r.bare.rps)),
    backend: median(rounds.map((r) => r.backend.rps)),
    bareCpuUs: median(rounds.map((r) => r.bare.cpuUs)),
    backendCpuUs: median(rounds.map((r) => r.backend.cpuUs)),
  };
  log(`/healthz: bare ${Math.round(result.bare)} req/s, backend ${Math.round(result.backend)} req/s`);
  return result;
}

/** Idle streams one task must hold open (slow answers, clients that stay): the capacity issue's figure. */
const OPEN_STREAMS = 1000;
/**
 * Half the memory of the smallest task size (live/dev/env.hcl: 512 MiB), so 1,000 open streams leave the other
 * half to the garbage collector's headroom and a burst of active ones.
 */
const OPEN_STREAMS_RSS_LIMIT_MB = 256;

/** On a fresh backend, so the figure is what the open streams cost, not what earlier phases left. */
async function rssPhase(fake: Fake): Promise<{ idle: ProcessStats; open: ProcessStats; opened: number }> {
  const N = OPEN_STREAMS;
  const backend = await startBackend(fake.url);
  await fake.setScenario({ kind: "ok", tokenDelayMs: 0, reply: "warm up" });
  await steady(viaBackend(backend.url), 50, 4);
  // Long, slow answers so every stream is still open when we measure.
  await fake.setScenario({ kind: "ok", tokenDelayMs: 200, reply: "x ".repeat(300) });
  const idle = await backend.stats();
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const aborts: (() => void)[] = [];
  let opened = 0;
  let allOpen: () => void = () => {};
  const ready = new Promise<void>((res) => (allOpen = res));
  const streams = Array.from({ length: N }, () =>
    streamOnce(agent, viaBackend(backend.url), {
      holdOpen: (abort) => {
        aborts.push(abort);
        opened += 1;
        if (opened === N) allOpen();
      },
    }).catch(() => undefined),
  );
  await Promise.race([ready, sleep(60_000)]);
  await sleep(500);
  const open = await backend.stats();
  const before = (await fake.state()).aborted;
  for (const abort of aborts) abort();
  await Promise.all(streams);
  agent.destroy();
  // Every abandoned stream must be abandoned upstream too.
  const deadline = Date.now() + 15_000;
  while ((await fake.state()).aborted - before < opened && Date.now() < deadline) await sleep(100);
  const upstreamAborted = (await fake.state()).aborted - before;
  log(
    `RSS: idle ${idle.rssMB} MB, ${opened} open streams ${open.rssMB} MB; upstream aborted ${upstreamAborted}`,
  );
  if (upstreamAborted < opened)
    throw new Error(`only ${upstreamAborted} of ${opened} upstream requests were aborted`);
  await backend.stop();
  return { idle, open, opened };
}

interface MixedRequest {
  kind: string;
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  expected: number;
  /** Leave the stream after its first bytes, as a user closing the tab does. */
  abortEarly?: boolean;
}

/** Request i of the leak check: 40% /healthz, 10% each of readyz, models, 404, 20% chat... */
function mix(i: number): MixedRequest {
  const slot = i % 50;
  const chat = { method: "POST", path: "/api/chat", contentType: "application/json" };
  if (slot < 20) return { kind: "healthz", method: "GET", path: "/healthz", expected: 200 };
  if (slot < 25) return { kind: "readyz", method: "GET", path: "/readyz", expected: 200 };
  if (slot < 30) return { kind: "models", method: "GET", path: "/api/models", expected: 200 };
  if (slot < 35) return { kind: "404", method: "GET", path: `/missing/${i}`, expected: 404 };
  if (slot < 37) return { kind: "400", ...chat, body: "{bad", expected: 400 };
  if (slot < 39) return { kind: "415", ...chat, body: "hello", contentType: "text/plain", expected: 415 };
  if (slot < 49) return { kind: "chat", ...chat, body: CHAT_BODY, expected: 200 };
  return { kind: "chat-abort", ...chat, body: CHAT_BODY, expected: 200, abortEarly: true };
}

async function leakPhase(fake: Fake, backend: Backend) {
  const TOTAL = 10_000;
  const CONCURRENCY = 50;
  // Short answers, so the 10,000 requests include ~2,000 complete streams quickly.
  await fake.setScenario({ kind: "ok", tokenDelayMs: 0, reply: "one two three four five six seven eight" });
  // Idle sockets (client keep-alive, upstream pool) time out after about 5 s.
  const idleWait = 7000;
  await sleep(idleWait);
  const before = await backend.stats();
  const { hostname, port } = new URL(backend.url);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let mismatches = 0;
  const kinds = new Map<string, number>();
  const one = (i: number): Promise<void> =>
    new Promise((res) => {
      const { kind, method, path, body, contentType, expected, abortEarly } = mix(i);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      const req = request(
        {
          agent,
          hostname,
          port,
          method,
          path,
          headers:
            body === undefined
              ? {}
              : { "content-type": contentType ?? "", "content-length": Buffer.byteLength(body) },
        },
        (response) => {
          if (response.statusCode !== expected) mismatches += 1;
          if (abortEarly) {
            response.once("data", () => req.destroy());
            response.once("close", () => res());
            return;
          }
          response.resume();
          response.on("end", () => res());
          response.on("error", () => res());
        },
      );
      req.on("error", () => res());
      req.end(body);
    });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TOTAL) await one(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  await sleep(idleWait);
  const after = await backend.stats();
  const fakeState = await fake.state();
  log(`leak check: ${TOTAL} requests in ${seconds.toFixed(1)} s, ${mismatches} unexpected statuses`);
  return { before, after, mismatches, seconds, kinds, fakeInFlight: fakeState.inFlight, total: TOTAL };
}

// ---------------------------------------------------------------------------------------

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
const pad = (s: string, w: number) => s.padEnd(w);
const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");

function sockets(s: ProcessStats): number {
  return s.handles.TCPSocketWrap ?? 0;
}

function handleTotal(s: ProcessStats): number {
  return Object.values(s.handles).reduce((a, b) => a + b, 0);
}

/** A part of the printed report: its lines and whether it met its target. */
interface Section {
  lines: string[];
  ok: boolean;
}

function streamingSection(streams: Awaited<ReturnType<typeof streamingPhase>>): Section {
  const lines = [
    `${pad("Streaming (ms)", 22)}${pad("direct p50 / p95", 20)}${pad("via backend p50 / p95", 24)}${pad("ratio p50", 11)}target`,
  ];
  let ok = true;
  for (const r of streams) {
    for (const [label, key] of [
      ["first token", "ttftMs"],
      ["total", "totalMs"],
    ] as const) {
      const d = r.direct.map((t) => t[key]);
      const b = r.backend.map((t) => t[key]);
      const ratio = percentile(b, 50) / percentile(d, 50);
      let target = "";
      if (label === "first token" && r.target !== undefined) {
        ok = ratio <= r.target;
        target = `<= ${r.target.toFixed(2)} ${verdict(ok)}`;
      }
      lines.push(
        `${pad(`${label} ${r.label}`, 22)}${pad(`${fmt(percentile(d, 50))} / ${fmt(percentile(d, 95))}`, 20)}${pad(
          `${fmt(percentile(b, 50))} / ${fmt(percentile(b, 95))}`,
          24,
        )}${pad(fmt(ratio, 3), 11)}${target}`,
      );
    }
  }
  lines.push(
    "  xN = N streams in flight at all times (closed loop, staggered starts); burst = 200 started at once",
    `  backend CPU per stream: ${streams.map((r) => `${r.label} ${fmt(r.backendCpuMsPerStream ?? Number.NaN, 2)} ms`).join(", ")}`,
  );
  return { lines, ok };
}

function signedInSection(results: SignedInResult[]): Section {
  const lines = [
    `${pad("Sign-in + budget (ms)", 22)}${pad("off p50 / p95", 20)}${pad("on p50 / p95", 24)}ratio p50`,
  ];
  for (const r of results) {
    const off = r.off.map((t) => t.ttftMs);
    const on = r.on.map((t) => t.ttftMs);
    lines.push(
      `${pad(`first token ${r.label}`, 22)}${pad(`${fmt(percentile(off, 50))} / ${fmt(percentile(off, 95))}`, 20)}${pad(
        `${fmt(percentile(on, 50))} / ${fmt(percentile(on, 95))}`,
        24,
      )}${fmt(percentile(on, 50) / percentile(off, 50), 3)}`,
    );
  }
  lines.push(
    "  on = token verified (aws-jwt-verify, emulator JWKS) + prompt counted + reservation in one DynamoDB transaction (moto);",
    "  off = AUTH_DISABLED=true, no table. moto is far slower than DynamoDB, so the on figure is an upper bound.",
  );
  return { lines, ok: true };
}

function healthzSection(healthz: Awaited<ReturnType<typeof healthzPhase>>): Section {
  const ratio = healthz.backend / healthz.bare;
  const ok = ratio >= 0.8;
  const lines = [
    `${pad("/healthz (req/s)", 22)}${pad("bare Express", 20)}${pad("backend", 24)}${pad("ratio", 11)}target`,
    `${pad("median of 6x3 s", 22)}${pad(fmt(healthz.bare), 20)}${pad(fmt(healthz.backend), 24)}${pad(
      fmt(ratio, 3),
      11,
    )}>= 0.80 ${verdict(ok)}`,
    `${pad("server CPU per request", 22)}${pad(`${fmt(healthz.bareCpuUs)} us`, 20)}${pad(`${fmt(healthz.backendCpuUs)} us`, 24)}${fmt(
      healthz.bareCpuUs / healthz.backendCpuUs,
      3,
    )} (32 connections)`,
  ];
  return { lines, ok };
}

function rssSection(rss: Awaited<ReturnType<typeof rssPhase>>): Section {
  const ok = rss.open.rssMB < OPEN_STREAMS_RSS_LIMIT_MB && rss.opened === OPEN_STREAMS;
  const lines = [
    `RSS: idle ${rss.idle.rssMB} MB; with ${rss.opened} open streams ${rss.open.rssMB} MB ` +
      `(heap ${rss.open.heapUsedMB} MB, ${sockets(rss.open)} sockets)   target < ${OPEN_STREAMS_RSS_LIMIT_MB} MB ${verdict(ok)}`,
  ];
  return { lines, ok };
}

function leakSection(leak: Awaited<ReturnType<typeof leakPhase>>): Section {
  const leaked =
    leak.after.fds > leak.before.fds ||
    sockets(leak.after) > sockets(leak.before) ||
    handleTotal(leak.after) > handleTotal(leak.before) ||
    leak.fakeInFlight > 1;
  const ok = !leaked && leak.mismatches === 0;
  const mix = [...leak.kinds.entries()].map(([k, v]) => `${k} ${v}`).join(", ");
  const lines = [
    `Leak check after ${leak.total} requests (${fmt(leak.seconds, 1)} s; ${mix}):`,
    `  open fds ${leak.before.fds} -> ${leak.after.fds}; TCP sockets ${sockets(leak.before)} -> ${sockets(leak.after)}; ` +
      `active handles ${handleTotal(leak.before)} -> ${handleTotal(leak.after)}; RSS ${leak.before.rssMB} -> ${leak.after.rssMB} MB; ` +
      `heap ${leak.before.heapUsedMB} -> ${leak.after.heapUsedMB} MB`,
    `  upstream requests still open: ${leak.fakeInFlight > 0 ? leak.fakeInFlight - 1 : 0}; unexpected statuses: ${leak.mismatches}   ` +
      `nothing leaked ${verdict(ok)}`,
    `  handles after: ${JSON.stringify(leak.after.handles)}`,
  ];
  return { lines, ok };
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    log(`watchdog: no result within ${WATCHDOG_MS / 1000} s; stopping`);
    for (const c of children) c.kill("SIGKILL");
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();

  const loadStart = loadavg()[0]?.toFixed(2);
  log("starting the fake upstream, the backend and a bare Express app (loopback only)");
  const fake = await startFake();
  const backend = await startBackend(fake.url);
  const bare = await startBare();

  const sections = [
    streamingSection(await streamingPhase(fake, backend)),
    signedInSection(await signedInPhase(fake, backend)),
    healthzSection(await healthzPhase(backend, bare)),
    rssSection(await rssPhase(fake)),
    leakSection(await leakPhase(fake, backend)),
  ];
  const header = [
    "",
    `Backend benchmark — Node ${process.version}, ${availableParallelism()} CPUs, loopback only; ` +
      `load average ${loadStart} at start, ${loadavg()[0]?.toFixed(2)} at end (other work on this machine skews timings)`,
    `Upstream: fake OpenAI, first token after ${FIRST_TOKEN_DELAY_MS} ms, then ${TOKENS} tokens ${TOKEN_DELAY_MS} ms apart`,
  ];
  const body = sections.flatMap((section) => ["", ...section.lines]);
  process.stdout.write(`${[...header, ...body].join("\n")}\n`);

  for (const c of children) c.kill("SIGTERM");
  clearTimeout(watchdog);
  process.exitCode = sections.every((section) => section.ok) ? 0 : 1;
}

process.on("exit", () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

main().catch((err: unknown) => {
  console.error(err);
  for (const c of children) c.kill("SIGKILL");
  process.exit(1);
});
