/**
 * Helpers for tests that build and run the project's container images with Podman: podman in the project's
 * environment and a scanner for the layers of an exported image.
 */
import { createReadStream } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { projectEnv, run, runOk, type RunResult } from "./exec.js";

export function podman(args: string[], timeoutMs?: number): Promise<RunResult> {
  return run("podman", args, { env: projectEnv(), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
}

export function podmanOk(args: string[], timeoutMs?: number): Promise<RunResult> {
  return runOk("podman", args, { env: projectEnv(), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
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
