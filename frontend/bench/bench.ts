/**
 * npm run bench -w frontend
 *
 * 1. The JavaScript the chat route makes a browser download (entry, route modules and every chunk they
 *    import), as gzip bytes on the wire from this server. Target: <= 150 KB.
 * 2. Time to first byte of the server-rendered chat page against a static file from the same server, in the
 *    same run, so the ratio shows what server rendering costs independent of the machine.
 */
import http from "node:http";
import { gzipSync } from "node:zlib";
import { listeningUrl, spawnFrontend } from "../test/support/frontend-process";
import { sessionCookie, TEST_SESSION_SECRET } from "../test/support/session";

const TARGET_KB = 150;
const WARMUP = 30;
const SAMPLES = 300;
const STATIC_PATH = "/favicon.svg";

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
/** Signed in, as every page needs: the timings include opening the session cookie. */
const COOKIE = await sessionCookie();

interface Fetched {
  status: number;
  ttfbMs: number;
  body: Buffer;
  encoding: string | undefined;
}

/** GET over a keep-alive socket; TTFB is measured to the arrival of the response headers. */
function get(base: string, path: string, gzip = true): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.get(
      `${base}${path}`,
      { agent, headers: { cookie: COOKIE, ...(gzip ? { "accept-encoding": "gzip" } : {}) } },
      (res) => {
        const ttfbMs = Number(process.hrtime.bigint() - started) / 1e6;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            ttfbMs,
            body: Buffer.concat(chunks),
            encoding: res.headers["content-encoding"],
          }),
        );
      },
    );
    req.on("error", reject);
  });
}

/** Every JS module the page loads: modulepreloads, scripts, inline imports, then their static imports. */
async function routeJavaScript(base: string): Promise<{ path: string; raw: number; gzip: number }[]> {
  const html = (await get(base, "/", false)).body.toString();
  const queue = [
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/import(?:\s*\*\s*as\s+\w+\s+from)?\s*\(?\s*"([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  const seen = new Map<string, { path: string; raw: number; gzip: number }>();
  while (queue.length > 0) {
    const path = new URL(queue.shift()!, `${base}/`).pathname;
    if (seen.has(path)) continue;
    const raw = (await get(base, path, false)).body;
    const wire = await get(base, path, true);
    // Small files are sent uncompressed (compression's threshold); count what actually crosses the wire.
    const gzip = wire.encoding === "gzip" ? wire.body.length : Math.min(raw.length, gzipSync(raw).length);
    seen.set(path, { path, raw: raw.length, gzip });
    const source = raw.toString();
    for (const m of source.matchAll(
      /(?:import|from)\s*\(?\s*["'](\.{1,2}\/[^"']+\.js|\/assets\/[^"']+\.js)["']/g,
    )) {
      queue.push(new URL(m[1]!, `${base}${path}`).pathname);
    }
  }
  return [...seen.values()].sort((a, b) => b.gzip - a.gzip);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function ttfb(base: string): Promise<{ page: number[]; file: number[] }> {
  for (let i = 0; i < WARMUP; i += 1) {
    await get(base, "/");
    await get(base, STATIC_PATH);
  }
  const page: number[] = [];
  const file: number[] = [];
  // Interleaved, so both see the same machine load.
  for (let i = 0; i < SAMPLES; i += 1) {
    page.push((await get(base, "/")).ttfbMs);
    file.push((await get(base, STATIC_PATH)).ttfbMs);
  }
  return { page, file };
}

const server = spawnFrontend({
  // The chat page renders without calling the backend; nothing needs to listen here.
  BACKEND_URL: "http://127.0.0.1:9",
  // The session's access token is good for an hour, so Cognito is never called either.
  AUTH_USER_POOL_ID: "us-east-1_BenchPool1",
  AUTH_CLIENT_ID: "benchclient",
  SESSION_SECRET: TEST_SESSION_SECRET,
  // Access logs are written after each response ends, so they do not skew time to first byte.
  LOG_LEVEL: "info",
});
try {
  const base = await listeningUrl(server);
  const js = await routeJavaScript(base);
  const totalGzip = js.reduce((n, f) => n + f.gzip, 0);
  const totalRaw = js.reduce((n, f) => n + f.raw, 0);
  const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

  console.log("Chat route JavaScript (gzip on the wire / raw):");
  for (const f of js) console.log(`  ${kb(f.gzip).padStart(6)} KB  ${kb(f.raw).padStart(6)} KB  ${f.path}`);
  console.log(
    `  total: ${kb(totalGzip)} KB gzipped (${kb(totalRaw)} KB raw) in ${js.length} files — target <= ${TARGET_KB} KB: ${
      totalGzip <= TARGET_KB * 1024 ? "OK" : "OVER"
    }`,
  );

  const { page, file } = await ttfb(base);
  const line = (name: string, v: number[]): string =>
    `  ${name.padEnd(28)} median ${percentile(v, 50).toFixed(2)} ms   p90 ${percentile(v, 90).toFixed(2)} ms   p99 ${percentile(v, 99).toFixed(2)} ms`;
  console.log(
    `\nTime to first byte (${SAMPLES} requests each, interleaved, keep-alive, after ${WARMUP} warm-up):`,
  );
  console.log(line("server-rendered chat page /", page));
  console.log(line(`static file ${STATIC_PATH}`, file));
  console.log(
    `  ratio (median page / median static): ${(percentile(page, 50) / percentile(file, 50)).toFixed(2)}x`,
  );
} finally {
  agent.destroy();
  await server.stop();
}
