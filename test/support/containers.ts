/**
 * Helpers for tests that build and run the project's container images with Podman: podman in the project's
 * environment, moto listening on an address that containers can reach (their network's gateway), a scanner
 * for the layers of an exported image, and a Server-Sent Events reader that timestamps every event.
 */
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { projectEnv, run, runOk, type RunResult } from "./exec.js";
import { repoRoot } from "./paths.js";

export function podman(args: string[], timeoutMs?: number): Promise<RunResult> {
  return run("podman", args, { env: projectEnv(), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
}

export function podmanOk(args: string[], timeoutMs?: number): Promise<RunResult> {
  return runOk("podman", args, { env: projectEnv(), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
}

/** A free TCP port on `host`. */
export function freePortOn(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface HostedEmulator {
  /** URL on `host`, e.g. http://10.89.0.1:PORT */
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The project's moto launcher (scripts/moto/launcher.py from the setup's virtualenv) bound to `host`, in its own
 * process group so stop() leaves nothing behind. Containers on a Podman network reach the host only through the
 * network's gateway address, not through 127.0.0.1.
 */
export async function startMotoOn(host: string): Promise<HostedEmulator> {
  const port = await freePortOn(host);
  const url = `http://${host}:${port}`;
  const python = path.join(repoRoot, ".tools", "venv", "bin", "python");
  const child = spawn(
    python,
    [path.join(repoRoot, "scripts", "moto", "launcher.py"), "-H", host, "-p", String(port)],
    { env: process.env, stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM");
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited with code ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${url}/moto-api/data.json`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto did not answer at ${url} within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, port, output: () => output, stop };
}

export interface LayerReport {
  /** The layer's file in the exported archive. */
  file: string;
  /** Uncompressed size in bytes (the layer tarball). */
  bytes: number;
  /** Every path in the layer. */
  paths: string[];
  /** Paths whose file name is .env or .env.<anything>. */
  envFiles: string[];
  /** The needles that occur anywhere in the layer's bytes (file contents and names). */
  found: string[];
}

const ENV_FILE = /(^|\/)\.env(\.[^/]*)?$/;

/** Whether any of `needles` occurs in the file, read as a stream (chunks overlap so no match is missed). */
async function needlesIn(file: string, needles: string[]): Promise<string[]> {
  const wanted = needles.map((needle) => ({ needle, bytes: Buffer.from(needle) }));
  const overlap = Math.max(0, ...wanted.map((w) => w.bytes.length)) - 1;
  const found = new Set<string>();
  let tail = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, {
    highWaterMark: 8 * 1024 * 1024,
  }) as AsyncIterable<Buffer>) {
    const window = Buffer.concat([tail, chunk]);
    for (const { needle, bytes } of wanted)
      if (!found.has(needle) && window.includes(bytes)) found.add(needle);
    tail = window.subarray(Math.max(0, window.length - overlap));
  }
  return [...found];
}

/**
 * Exports an image with `podman save` (docker-archive: one uncompressed tarball per layer) under `dir` and
 * reports, for every layer in order, its size, its paths, any .env files and which needles its bytes contain.
 */
export async function scanImageLayers(image: string, dir: string, needles: string[]): Promise<LayerReport[]> {
  await mkdir(dir, { recursive: true });
  const archive = path.join(dir, "image.tar");
  await podmanOk(["save", "--format", "docker-archive", "-o", archive, image]);
  const extracted = path.join(dir, "image");
  await mkdir(extracted);
  await runOk("tar", ["-C", extracted, "-xf", archive]);
  const manifest = JSON.parse(await readFile(path.join(extracted, "manifest.json"), "utf8")) as Array<{
    Layers: string[];
  }>;
  const reports: LayerReport[] = [];
  for (const layer of manifest[0]?.Layers ?? []) {
    const file = path.join(extracted, layer);
    const listing = await runOk("tar", ["-tf", file], { timeoutMs: 5 * 60_000 });
    const paths = listing.stdout.split("\n").filter((line) => line !== "");
    const size = await runOk("stat", ["-c", "%s", file]);
    reports.push({
      file: layer,
      bytes: Number(size.stdout.trim()),
      paths,
      envFiles: paths.filter((p) => ENV_FILE.test(p.replace(/\/$/, ""))),
      found: await needlesIn(file, needles),
    });
  }
  return reports;
}

export interface SseEvent {
  event: string;
  data: unknown;
  /** Date.now() when the event arrived. */
  at: number;
}

export interface SseStream {
  status: number;
  contentType: string | null;
  /** Events so far; complete once `done` resolves. */
  events: SseEvent[];
  /** Resolves when the body ends (or fails), with Date.now() at that moment. */
  done: Promise<number>;
  /** Resolves once an event of this kind has arrived. */
  waitFor(kind: string, timeoutMs?: number): Promise<SseEvent>;
  text(): string;
}

/** POSTs JSON and reads the Server-Sent Events answer as it streams. */
export async function postSse(url: string, body: unknown): Promise<SseStream> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(body),
  });
  const events: SseEvent[] = [];
  const listeners = new Set<() => void>();
  let ended = false;
  const done = (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = "message";
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("event:")) event = line.slice(6).trim();
            else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
          }
          if (data.length === 0) continue;
          const text = data.join("\n");
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text) as unknown;
          } catch {
            // keep the raw text
          }
          events.push({ event, data: parsed, at: Date.now() });
          for (const listener of listeners) listener();
        }
      }
    } catch {
      // a body that breaks off ends the stream; the caller sees the missing done event
    }
    const endedAt = Date.now();
    ended = true;
    for (const listener of listeners) listener();
    return endedAt;
  })();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    events,
    done,
    waitFor(kind, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const hit = events.find((e) => e.event === kind);
          if (hit) {
            cleanup();
            resolve(hit);
          } else if (ended) {
            cleanup();
            reject(new Error(`the stream ended without a "${kind}" event: ${JSON.stringify(events)}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no "${kind}" event within ${timeoutMs} ms: ${JSON.stringify(events)}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    text() {
      return events
        .filter((e) => e.event === "delta")
        .map((e) => (e.data as { text?: string }).text ?? "")
        .join("");
    },
  };
}
