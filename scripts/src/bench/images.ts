/**
 * `npm run bench:images [-- --app frontend,backend]`: for each app image (linux/amd64, local base image), built
 * with scripts/images.sh exactly as the project builds it:
 *   - size: the whole image, the base image, and the app layers (image minus base) uncompressed and gzip-compressed
 *     (what a registry stores and Fargate pulls), against the 60 MB target for the app layers;
 *   - cold build: `--no-cache`, every step runs again (the npm download cache mount is kept, as on any machine
 *     that has built once; a fresh CI machine also downloads the packages);
 *   - rebuild after a one-line source change, with the layer cache: target at most 0.25 of the cold build.
 * The builds run on a temporary copy of the working tree (`images.sh --context`), so the source change never
 * touches the repository. Every image tag it creates is removed at the end; the layer cache stays.
 */
import { createReadStream } from "node:fs";
import { appendFile, copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Writable } from "node:stream";
import { createGzip } from "node:zlib";
import { parseCommandLine, runCommand, UsageError } from "../lib/command.js";
import { repoRoot } from "../lib/environments.js";
import { run, type RunResult } from "@fargate-ai-stack/test-support";
import { projectEnv } from "../lib/project-env.js";
import { formatTable } from "../lib/table.js";

const USAGE = `Usage: npm run bench:images [-- --app frontend,backend]
Builds each app image (linux/amd64) cold and after a one-line change, and reports sizes and build times.`;
const APPS = ["frontend", "backend"] as const;
type App = (typeof APPS)[number];
const TARGET_APP_BYTES = 60e6;
const TARGET_REBUILD_RATIO = 0.25;
/** The file each app's one-line change goes into: code that ends up in the image, not a comment. */
const EDITED_FILE: Record<App, string> = {
  frontend: "frontend/server/health.ts",
  backend: "backend/src/server.ts",
};
const BASE_IMAGE = "localhost/fargate-ai-stack/node:20-amd64";

async function runOk(command: string, args: string[], options: { cwd?: string } = {}): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.code}\n${result.stderr.slice(-4000)}`);
  }
  return result;
}

interface ImageInfo {
  Id: string;
  Size: number;
  RootFS: { Layers: string[] };
}

async function inspect(ref: string): Promise<ImageInfo> {
  return (JSON.parse((await runOk("podman", ["image", "inspect", ref])).stdout) as ImageInfo[])[0]!;
}

/** gzip -6 size of a file, streamed. */
async function gzipSize(file: string): Promise<number> {
  let bytes = 0;
  await pipeline(
    createReadStream(file),
    createGzip({ level: 6 }),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        callback();
      },
    }),
  );
  return bytes;
}

/** Uncompressed and gzip sizes of an image's layers, split into the base image's and the app's own. */
async function layerSizes(imageId: string, baseLayers: string[], dir: string) {
  const archive = path.join(dir, "image.tar");
  await runOk("podman", ["save", "--format", "docker-archive", "-o", archive, imageId]);
  const extracted = path.join(dir, "image");
  await mkdir(extracted);
  await runOk("tar", ["-C", extracted, "-xf", archive]);
  await rm(archive);
  const manifest = JSON.parse(await readFile(path.join(extracted, "manifest.json"), "utf8")) as Array<{
    Layers: string[];
  }>;
  const layers = manifest[0]?.Layers ?? [];
  const sizes = { base: { raw: 0, gzip: 0 }, app: { raw: 0, gzip: 0 } };
  for (const [index, layer] of layers.entries()) {
    const file = path.join(extracted, layer);
    const raw = Number((await runOk("stat", ["-c", "%s", file])).stdout.trim());
    const part = index < baseLayers.length ? sizes.base : sizes.app;
    part.raw += raw;
    part.gzip += await gzipSize(file);
  }
  await rm(extracted, { recursive: true, force: true });
  return sizes;
}

/** The working tree's files that git would commit (tracked or new, not ignored), copied to `dir`. */
async function copyWorkingTree(dir: string): Promise<void> {
  const listed = await runOk("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    const source = path.join(repoRoot, file);
    const target = path.join(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    // Tracked files deleted in the working tree are listed too: skip them.
    await copyFile(source, target).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
  }
}

async function timedBuild(app: App, tag: string, context: string, noCache: boolean): Promise<number> {
  const args = [
    path.join(repoRoot, "scripts", "images.sh"),
    "--app",
    app,
    "--platform",
    "linux/amd64",
    "--local-base",
    "--context",
    context,
    "--tag",
    tag,
    ...(noCache ? ["--no-cache"] : []),
  ];
  const started = process.hrtime.bigint();
  await runOk("bash", args);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

function parseImagesCommandLine(): App[] {
  const values = parseCommandLine(
    { app: { type: "string", default: "frontend,backend" } },
    { text: USAGE, separator: "\n" },
  );
  const apps = (values.app ?? "").split(",").filter(Boolean) as App[];
  for (const app of apps) {
    if (!APPS.includes(app)) throw new UsageError(`--app lists frontend and/or backend (got "${app}")`);
  }
  return apps;
}

interface Measured {
  row: Record<string, string>;
  /** gzip size of the base image's layers. */
  baseGzip: number;
}

/** One app: cold build, layer sizes, rebuild after a one-line change; every tag made is added to `tags`. */
async function measureApp(
  app: App,
  base: ImageInfo,
  work: string,
  id: string,
  tags: string[],
): Promise<Measured> {
  const context = path.join(work, "context");
  const coldTag = `bench-${id}-cold`;
  const editTag = `bench-${id}-edit`;
  tags.push(`localhost/fargate-ai-stack/${app}:${coldTag}`, `localhost/fargate-ai-stack/${app}:${editTag}`);
  console.error(`${app}: cold build (--no-cache) ...`);
  const cold = await timedBuild(app, coldTag, context, true);
  const image = await inspect(`localhost/fargate-ai-stack/${app}:${coldTag}`);
  tags.push(image.Id);
  console.error(`${app}: cold build ${cold.toFixed(0)} s; measuring layers ...`);
  const scratch = path.join(work, `layers-${app}`);
  await mkdir(scratch);
  const sizes = await layerSizes(image.Id, base.RootFS.Layers, scratch);

  // A one-line change to code that ships, in the copy only, then a rebuild with the layer cache.
  await appendFile(
    path.join(context, EDITED_FILE[app]),
    `if (process.env.BENCH_IMAGES_EDIT === "${id}") console.log("bench:images one-line change");\n`,
  );
  console.error(`${app}: rebuild after a one-line change to ${EDITED_FILE[app]} ...`);
  const rebuild = await timedBuild(app, editTag, context, false);
  const edited = await inspect(`localhost/fargate-ai-stack/${app}:${editTag}`);
  tags.push(edited.Id);
  if (edited.Id === image.Id) throw new Error(`${app}: the one-line change did not change the image`);

  const appRaw = image.Size - base.Size;
  const row = {
    image: app,
    "image MB": mb(image.Size),
    "base MB": mb(base.Size),
    "app MB": mb(appRaw),
    "app MB gzip": mb(sizes.app.gzip),
    "image MB gzip": mb(sizes.base.gzip + sizes.app.gzip),
    "app/target": `${(appRaw / TARGET_APP_BYTES).toFixed(2)} ${appRaw <= TARGET_APP_BYTES ? "ok" : "OVER"}`,
    "app/image": (appRaw / image.Size).toFixed(2),
    "cold s": cold.toFixed(0),
    "rebuild s": rebuild.toFixed(0),
    "rebuild/cold": `${(rebuild / cold).toFixed(2)} ${rebuild / cold <= TARGET_REBUILD_RATIO ? "ok" : "OVER"}`,
  };
  return { row, baseGzip: sizes.base.gzip };
}

/** Removes the bench's image tags and manifest lists (the layer cache stays). */
async function removeTags(tags: string[]): Promise<void> {
  for (const tag of [...tags].reverse()) {
    if ((await run("podman", ["manifest", "exists", tag])).code === 0)
      await run("podman", ["manifest", "rm", tag]);
    await run("podman", ["rmi", "--force", tag]);
  }
}

function printReport(
  rows: Array<Record<string, string>>,
  base: ImageInfo,
  baseGzip: number | undefined,
): void {
  const columns = Object.keys(rows[0] ?? {});
  console.log(
    `\nImages (linux/amd64, base ${BASE_IMAGE}: ${mb(base.Size)} MB, ${mb(baseGzip ?? 0)} MB gzip)`,
  );
  console.log(
    `Targets: app layers (image minus base) <= ${mb(TARGET_APP_BYTES)} MB; rebuild after a one-line change <= ${TARGET_REBUILD_RATIO} of cold`,
  );
  console.log(
    formatTable([columns, ...rows.map((row) => columns.map((c) => row[c] ?? ""))], { align: () => "right" }),
  );
  console.log(
    "\nMB = 10^6 bytes; uncompressed = layer tarballs; gzip = each layer compressed at level 6 (registry/pull size)." +
      "\ncold = --no-cache (npm's download cache mount kept); rebuild = layer cache on, one line appended to " +
      Object.values(EDITED_FILE).join(" / ") +
      " in a temporary copy.",
  );
}

async function benchImages(): Promise<void> {
  // The project's environment (scripts/lib.sh project_env) for the podman calls made from here.
  Object.assign(process.env, projectEnv());
  const apps = parseImagesCommandLine();
  await runOk("bash", [path.join(repoRoot, "scripts", "base-images.sh"), "--node", "20", "--arch", "amd64"]);
  const base = await inspect(BASE_IMAGE);
  const work = await mkdtemp(path.join(os.tmpdir(), "fas-bench-images-"));
  const id = `${process.pid}-${Date.now().toString(36)}`;
  const tags: string[] = [];
  const rows: Array<Record<string, string>> = [];
  let baseGzip: number | undefined;
  try {
    await copyWorkingTree(path.join(work, "context"));
    for (const app of apps) {
      const measured = await measureApp(app, base, work, id, tags);
      rows.push(measured.row);
      baseGzip ??= measured.baseGzip;
    }
  } finally {
    await removeTags(tags);
    await rm(work, { recursive: true, force: true });
  }
  printReport(rows, base, baseGzip);
}

runCommand(benchImages);
