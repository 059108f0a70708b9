/**
 * The frontend and backend images for real, with Podman: built by scripts/images.sh from the project's
 * Dockerfiles on the local base images, then run the way the ECS task definitions run them (non-root,
 * read-only root filesystem, /tmp the only writable path) on a Podman network where the backend answers at its
 * Cloud Map name. The backend reads its OpenAI key from Secrets Manager in moto; the fake OpenAI upstream only
 * accepts that key. Also: SIGTERM while a reply streams, and no .env file or key in any image layer.
 *
 * moto and the fake upstream run on the host, bound to the test network's gateway address (what
 * host.containers.internal resolves to inside the containers): containers cannot reach the host's 127.0.0.1.
 *
 * arm64: a full arm64 build of the Dockerfiles runs `npm ci` and the Vite build under qemu-user-static. Measured
 * on the 2-core CI-class machine (with other jobs running): the backend alone took 26 minutes, nearly all of it
 * `npm ci` under emulation, and the frontend has twice the dependencies plus a Vite build — far beyond CI's
 * budget. So the arm64 check is smaller but still real: each app's /app, built
 * natively (pure JavaScript, no native modules, so it is architecture-independent), is copied onto the arm64
 * base image by a build whose RUN step executes the arm64 node under emulation, and the server is then started
 * under emulation with the amd64 image's own command, user and environment and must answer /healthz.
 * `scripts/images.sh` (default --platform linux/amd64,linux/arm64) still builds both architectures in full.
 *
 * Skipped only when Podman is not installed. Every container, network and image tag it creates is removed in
 * the after hooks, also on failure.
 */
import { expect } from "chai";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startFakeOpenAI, type FakeOpenAI } from "../fake-openai/src/index.js";
import {
  createTestBudgetTable,
  createTestUserPool,
  emulatorCredentials,
  postSse,
  startEmulator,
  TEST_PASSWORD,
  type Emulator,
  type TestUserPool,
} from "@fargate-ai-stack/test-support";
import { podman, podmanOk, scanImageLayers, type LayerReport } from "../support/containers.js";
import { projectEnv, run, runOk } from "../support/exec.js";
import { repoRoot } from "../support/paths.js";

const APPS = ["frontend", "backend"] as const;
type App = (typeof APPS)[number];

const RUN_ID = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
const TAG = `containers-test-${RUN_ID}`;
const NODE22_TAG = `${TAG}-node22`;
const NETWORK = `fas-containers-test-${RUN_ID}`;
const BACKEND_NAME = "backend.dev.fargate-ai-stack.local";
/** The OpenAI key the test stores in Secrets Manager; the fake upstream accepts no other. */
const TEST_KEY = `sk-containers-test-${randomUUID()}`;
/** Written to .env files in the build context before building; must never reach an image. */
const CANARY = `fas-dotenv-canary-${randomUUID()}`;
/** A string each app's own code contains: proves the layer scan reads the app's files. */
const APP_MARKER: Record<App, string> = {
  frontend: "backend_unreachable",
  backend: "openai_key_missing",
};
/** A module of each app that imports its whole dependency graph without starting a server. */
const APP_MODULE: Record<App, string> = {
  frontend: "/app/frontend/build/server/index.js",
  backend: "/app/backend/dist/app.js",
};
const APP_LAYERS_LIMIT = 60e6;
const REPLY_WORDS = Array.from({ length: 20 }, (_, i) => `word${i + 1}`);
/** The account the network tests sign in with, in the emulator's user pool. */
const TEST_EMAIL = "containers-test@example.com";
/** The frontend's session-cookie key (on ECS an injected Secrets Manager secret). */
const SESSION_SECRET = randomBytes(32).toString("base64url");
/** Valid-looking settings for a container that only has to start and answer its health check. */
const IDLE_AUTH = [
  "AUTH_USER_POOL_ID=us-east-1_idle",
  "AUTH_CLIENT_ID=idleclient",
  `SESSION_SECRET=${SESSION_SECRET}`,
];

const listImage = (app: App, tag = TAG) => `localhost/fargate-ai-stack/${app}:${tag}`;
const baseImage = (major: number, arch: "amd64" | "arm64") =>
  `localhost/fargate-ai-stack/node:${major}-${arch}`;

interface ImageConfig {
  Id: string;
  Architecture: string;
  Os: string;
  Size: number;
  RootFS: { Layers: string[] };
  Config: {
    User?: string;
    Cmd?: string[];
    Entrypoint?: string[] | null;
    Env?: string[];
    WorkingDir?: string;
    Labels?: Record<string, string>;
    StopSignal?: string;
    Volumes?: Record<string, unknown>;
  };
}

async function inspectImage(ref: string): Promise<ImageConfig> {
  const result = await podmanOk(["image", "inspect", ref]);
  return (JSON.parse(result.stdout) as ImageConfig[])[0]!;
}

async function commandExists(command: string): Promise<boolean> {
  const result = await run("sh", ["-c", `command -v ${command}`]).catch(() => undefined);
  return result?.code === 0;
}

async function containerIp(name: string): Promise<string> {
  const result = await podmanOk(["inspect", name]);
  const [info] = JSON.parse(result.stdout) as Array<{
    NetworkSettings: { IPAddress?: string; Networks?: Record<string, { IPAddress?: string }> };
  }>;
  const ip =
    Object.values(info?.NetworkSettings.Networks ?? {}).find((n) => n.IPAddress)?.IPAddress ??
    info?.NetworkSettings.IPAddress;
  if (!ip) throw new Error(`container ${name} has no IP address`);
  return ip;
}

interface ContainerState {
  Running: boolean;
  ExitCode: number;
  /** RFC 3339 with nanoseconds. */
  FinishedAt: string;
}

async function containerState(name: string): Promise<ContainerState> {
  const result = await podmanOk(["inspect", name, "--format", "{{json .State}}"]);
  return JSON.parse(result.stdout) as ContainerState;
}

/** Date.now()-style milliseconds from an RFC 3339 time with any number of fractional digits. */
function epochMs(time: string): number {
  return Date.parse(time.replace(/(\.\d{3})\d+/, "$1"));
}

/** Polls url until it answers `status`, failing early (with the logs) when the container has stopped. */
async function waitForHttp(url: string, container: string, status = 200, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
      last = `${response.status} ${await response.text()}`;
      if (response.status === status) return;
    } catch (error) {
      last = (error as Error).message;
    }
    if (!(await containerState(container)).Running) break;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const logs = await podman(["logs", container]);
  throw new Error(`${url} did not answer ${status} (last: ${last})\n${logs.stdout}${logs.stderr}`);
}

/** The flags that reproduce the task definition: read-only root, /tmp the only writable path. */
const FARGATE_LIKE = [
  "--read-only",
  "--read-only-tmpfs=false",
  "--tmpfs",
  "/tmp:rw,nosuid,nodev,mode=1777,size=64m",
];

describe("container images: build, run as on Fargate, stop gracefully, leak no secrets", function () {
  this.timeout(30 * 60_000);

  let work: string;
  const created = { containers: [] as string[], images: [] as string[], lists: [] as string[] };
  const instance: Partial<Record<App, ImageConfig>> = {};
  const canaryFiles: string[] = [];
  let contextImage: string | undefined;

  const removeCanaries = async () => {
    for (const file of canaryFiles.splice(0)) await rm(file, { force: true });
  };
  const built = (app: App): ImageConfig => {
    const image = instance[app];
    if (!image) throw new Error(`the ${app} image was not built (see the first test)`);
    return image;
  };

  before(async function () {
    if (!(await commandExists("podman"))) {
      console.log("      (skipped: podman is not installed; `npm run setup` installs it)");
      this.skip();
    }
    work = await mkdtemp(path.join(os.tmpdir(), "fas-containers-"));
    // Canaries left by a run that was killed before its cleanup (recognisable by their content only).
    for (const app of APPS) {
      for (const name of [".env", ".env.local", ".env.production"]) {
        const file = path.join(repoRoot, app, name);
        const text = await readFile(file, "utf8").catch(() => "");
        if (text.startsWith("OPENAI_API_KEY=fas-dotenv-canary-")) await rm(file, { force: true });
      }
    }
    // Idempotent: seconds when the base images exist (they are made once per machine).
    for (const [major, archs] of [
      ["20", "amd64,arm64"],
      ["22", "amd64"],
    ] as const) {
      await runOk(
        "bash",
        [path.join(repoRoot, "scripts", "base-images.sh"), "--node", major, "--arch", archs],
        {
          timeoutMs: 20 * 60_000,
        },
      );
    }
  });

  after(async function () {
    this.timeout(5 * 60_000);
    await removeCanaries();
    for (const name of created.containers) await podman(["rm", "--force", "--volumes", "--time", "0", name]);
    await podman(["network", "rm", "--force", NETWORK]);
    for (const list of created.lists) {
      if ((await podman(["manifest", "exists", list])).code === 0) await podman(["manifest", "rm", list]);
    }
    for (const image of created.images) await podman(["rmi", "--force", image]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("builds both images natively with scripts/images.sh --local-base, with .env canaries in the context", async () => {
    // One canary .env-style file per app, never overwriting a developer's own .env.
    for (const app of APPS) {
      const file = [".env", ".env.local", ".env.production"]
        .map((name) => path.join(repoRoot, app, name))
        .find((candidate) => !existsSync(candidate));
      if (!file) throw new Error(`${app}/ already has .env, .env.local and .env.production`);
      canaryFiles.push(file);
      await writeFile(file, `OPENAI_API_KEY=${CANARY}\nCANARY=${CANARY}\n`, { flag: "wx" });
    }
    try {
      created.lists.push(...APPS.map((app) => listImage(app)));
      const build = await run(
        "bash",
        [
          path.join(repoRoot, "scripts", "images.sh"),
          "--app",
          "frontend,backend",
          "--platform",
          "linux/amd64",
          "--local-base",
          "--tag",
          TAG,
        ],
        { env: projectEnv(), timeoutMs: 25 * 60_000 },
      );
      expect(build.code, `${build.stdout.slice(-3000)}\n${build.stderr.slice(-5000)}`).to.equal(0);

      // What the builds were given: the context after .dockerignore, copied whole into a throwaway image.
      contextImage = `localhost/fargate-ai-stack/context-probe:${RUN_ID}`;
      created.images.push(contextImage);
      await writeFile(
        path.join(work, "Containerfile.context"),
        `FROM ${baseImage(20, "amd64")}\nCOPY . /context/\n`,
      );
      await podmanOk([
        "build",
        "--quiet",
        "--isolation",
        "chroot",
        "-f",
        path.join(work, "Containerfile.context"),
        "-t",
        contextImage,
        repoRoot,
      ]);
    } finally {
      await removeCanaries();
    }

    for (const app of APPS) {
      const image = await inspectImage(listImage(app));
      instance[app] = image;
      created.images.push(image.Id);
    }
    for (const app of APPS) {
      const image = built(app);
      expect(image.Architecture, app).to.equal("amd64");
      expect(image.Os, app).to.equal("linux");
      expect(image.Config.User, `${app}: the image must not run as root`).to.equal("node");
      // The commit the image was built from (HEAD then; others may commit while the suite runs).
      const revision = image.Config.Labels?.["org.opencontainers.image.revision"] ?? "";
      expect(revision, `${app} revision label`).to.match(/^[0-9a-f]{40}$/);
      expect((await run("git", ["cat-file", "-e", `${revision}^{commit}`])).code, revision).to.equal(0);
      expect(image.Config.Labels?.["org.opencontainers.image.version"], app).to.equal(TAG);
      expect(image.Config.StopSignal, app).to.equal("SIGTERM");
      expect(Object.keys(image.Config.Volumes ?? {}), app).to.deep.equal(["/tmp"]);
      // node is PID 1 (no npm or shell wrapper that would swallow SIGTERM).
      expect(image.Config.Cmd?.[0], app).to.equal("node");
      const base = await inspectImage(baseImage(20, "amd64"));
      expect(
        image.RootFS.Layers.slice(0, base.RootFS.Layers.length),
        `${app} is built on the local base`,
      ).to.deep.equal(base.RootFS.Layers);
    }
  });

  it("keeps each image's app layers (image minus base) at or under 60 MB", async () => {
    const base = await inspectImage(baseImage(20, "amd64"));
    for (const app of APPS) {
      const appBytes = built(app).Size - base.Size;
      console.log(`      ${app}: app layers ${(appBytes / 1e6).toFixed(1)} MB uncompressed`);
      expect(appBytes, `${app}: app layers of ${(appBytes / 1e6).toFixed(1)} MB`).to.be.greaterThan(0);
      expect(appBytes, `${app}: app layers of ${(appBytes / 1e6).toFixed(1)} MB`).to.be.at.most(
        APP_LAYERS_LIMIT,
      );
    }
  });

  it("the backend builds on Node.js 22 (NODE_VERSION=22) and loads its app there", async () => {
    created.lists.push(listImage("backend", NODE22_TAG));
    const build = await run(
      "bash",
      [
        path.join(repoRoot, "scripts", "images.sh"),
        "--app",
        "backend",
        "--platform",
        "linux/amd64",
        "--local-base",
        "--node",
        "22",
        "--tag",
        NODE22_TAG,
      ],
      { env: projectEnv(), timeoutMs: 20 * 60_000 },
    );
    expect(build.code, `${build.stdout.slice(-3000)}\n${build.stderr.slice(-5000)}`).to.equal(0);
    const image = await inspectImage(listImage("backend", NODE22_TAG));
    created.images.push(image.Id);
    const node22 = await inspectImage(baseImage(22, "amd64"));
    expect(image.RootFS.Layers[0]).to.equal(node22.RootFS.Layers[0], "built on the node:22 base image");

    const version = await podmanOk([
      "run",
      "--rm",
      ...FARGATE_LIKE,
      image.Id,
      "node",
      "-p",
      "process.version",
    ]);
    expect(version.stdout.trim()).to.match(/^v22\.\d+\.\d+$/);
    const version20 = await podmanOk(["run", "--rm", built("backend").Id, "node", "-p", "process.version"]);
    expect(version20.stdout.trim()).to.match(/^v20\.\d+\.\d+$/, "the default build stays on Node.js 20");
    // The whole dependency graph (Express, the OpenAI SDK, the AWS SDK) loads on Node.js 22.
    const load = await podmanOk([
      "run",
      "--rm",
      ...FARGATE_LIKE,
      image.Id,
      "node",
      "--input-type=module",
      "-e",
      `const m = await import(${JSON.stringify(APP_MODULE.backend)}); console.log(typeof m.createApp)`,
    ]);
    expect(load.stdout.trim()).to.equal("function");
  });

  it("arm64: each app's build output runs on the arm64 base under emulation (RUN step and server start)", async () => {
    for (const app of APPS) {
      const started = Date.now();
      const amd64 = built(app);
      // The natively built /app (JavaScript only) as the build context of a small arm64 build.
      const context = path.join(work, `arm64-${app}`);
      await mkdir(context, { recursive: true });
      const holder = `fas-ct-${RUN_ID}-copy-${app}`;
      created.containers.push(holder);
      await podmanOk(["create", "--name", holder, amd64.Id]);
      await podmanOk(["cp", `${holder}:/app`, path.join(context, "app")]);
      await podmanOk(["rm", "--volumes", holder]);
      await writeFile(
        path.join(context, "Containerfile"),
        [
          `FROM ${baseImage(20, "arm64")}`,
          "COPY app /app",
          // Runs under qemu-user-static: arm64 node loads the app's module graph (without listening) and records
          // the architecture it ran on. The images resolve workspace packages to their compiled code the same way
          // (NODE_OPTIONS=--conditions=production in the Dockerfiles).
          `RUN ["node", "--conditions=production", "--input-type=module", "-e", ${JSON.stringify(
            `import { writeFileSync } from "node:fs"; await import(${JSON.stringify(APP_MODULE[app])}); writeFileSync("/build-arch", process.arch);`,
          )}]`,
          "",
        ].join("\n"),
      );
      const tag = `localhost/fargate-ai-stack/${app}-arm64-probe:${RUN_ID}`;
      created.images.push(tag);
      await podmanOk(
        ["build", "--quiet", "--isolation", "chroot", "--platform", "linux/arm64", "-t", tag, context],
        15 * 60_000,
      );
      const image = await inspectImage(tag);
      expect(image.Architecture).to.equal("arm64");

      // Start the server with the amd64 image's own command, user, working directory and environment.
      const name = `fas-ct-${RUN_ID}-arm64-${app}`;
      created.containers.push(name);
      const env = (amd64.Config.Env ?? []).flatMap((pair) => ["--env", pair]);
      // Just enough to start: the backend explicitly without sign-in (it warns), the frontend with settings it
      // only uses once someone signs in.
      const appEnv = (
        app === "backend"
          ? ["OPENAI_BASE_URL=http://127.0.0.1:9/v1", "AUTH_DISABLED=true"]
          : ["BACKEND_URL=http://127.0.0.1:9", ...IDLE_AUTH]
      ).flatMap((pair) => ["--env", pair]);
      await podmanOk([
        "run",
        "--detach",
        "--name",
        name,
        "--arch",
        "arm64",
        ...FARGATE_LIKE,
        "--user",
        amd64.Config.User ?? "node",
        "--workdir",
        amd64.Config.WorkingDir ?? "/app",
        ...env,
        ...appEnv,
        image.Id,
        ...(amd64.Config.Cmd ?? []),
      ]);
      const port = app === "backend" ? 4000 : 3000;
      await waitForHttp(`http://${await containerIp(name)}:${port}/healthz`, name, 200, 3 * 60_000);
      const arch = await podmanOk([
        "exec",
        name,
        "sh",
        "-c",
        "uname -m; cat /build-arch; echo; cat /proc/1/cmdline",
      ]);
      const [machine, buildArch, cmdline] = arch.stdout.split("\n");
      expect(machine, `${app}: the server runs on arm64`).to.equal("aarch64");
      expect(buildArch, `${app}: the RUN step ran arm64 node`).to.equal("arm64");
      // Under binfmt_misc, PID 1's command line starts with the qemu interpreter; the image's command follows.
      const argv = cmdline?.split("\0").filter(Boolean) ?? [];
      expect(argv.slice(-(amd64.Config.Cmd ?? []).length)).to.deep.equal(amd64.Config.Cmd);
      await podmanOk(["rm", "--force", "--time", "0", name]);
      console.log(`      ${app}: arm64 build and start in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  });

  it("no layer of either image holds a .env file, the .env canary or the test key", async () => {
    // The context the builds saw: sources there, canaries not.
    if (!contextImage) throw new Error("the context probe was not built (see the first test)");
    const contextLayers = await scanImageLayers(contextImage, path.join(work, "scan-context"), [CANARY]);
    const contextPaths = contextLayers
      .flatMap((layer) => layer.paths)
      .filter((p) => p.startsWith("context/"));
    expect(contextPaths).to.include.members(["context/backend/src/server.ts", "context/frontend/server.ts"]);
    expect(contextPaths.filter((p) => /(^|\/)\.env(\.[^/]*)?$/.test(p))).to.deep.equal([]);
    expect(contextLayers.flatMap((layer) => layer.found)).to.deep.equal(
      [],
      "the canary reached the build context",
    );

    for (const app of APPS) {
      const layers: LayerReport[] = await scanImageLayers(built(app).Id, path.join(work, `scan-${app}`), [
        TEST_KEY,
        CANARY,
        APP_MARKER[app],
      ]);
      expect(layers.length, app).to.equal(built(app).RootFS.Layers.length);
      expect(
        layers.some((layer) => layer.found.includes(APP_MARKER[app])),
        `${app}: the scan must find the app's own code (else it reads nothing)`,
      ).to.equal(true);
      expect(
        layers.flatMap((layer) => layer.envFiles),
        `${app}: .env files in the image`,
      ).to.deep.equal([]);
      for (const layer of layers) {
        expect(layer.found, `${app} layer ${layer.file}`).to.not.include(TEST_KEY);
        expect(layer.found, `${app} layer ${layer.file}`).to.not.include(CANARY);
      }
    }
  });

  describe("on a Podman network with the backend at its Cloud Map name", function () {
    let moto: Emulator | undefined;
    let fake: FakeOpenAI | undefined;
    const names = {
      holder: `fas-ct-${RUN_ID}-net`,
      backend: `fas-ct-${RUN_ID}-backend`,
      frontend: `fas-ct-${RUN_ID}-frontend`,
    };
    const ip: Partial<Record<App, string>> = {};
    let pool: TestUserPool;
    /** The frontend's session cookie after signing in through its form; the backend's bearer token. */
    const auth = { cookie: "", bearer: "" };
    let frontendAuthEnv: string[] = [];

    before(async function () {
      const images = { frontend: built("frontend").Id, backend: built("backend").Id };
      await podmanOk(["network", "create", NETWORK]);
      // Netavark brings the bridge (and its gateway address) up with the first container and down with the last.
      created.containers.push(names.holder);
      await podmanOk([
        "run",
        "--detach",
        "--name",
        names.holder,
        "--network",
        NETWORK,
        baseImage(20, "amd64"),
        "sleep",
        "3600",
      ]);
      const inspected = await podmanOk(["network", "inspect", NETWORK]);
      const gateway = (JSON.parse(inspected.stdout) as Array<{ subnets?: Array<{ gateway?: string }> }>)[0]
        ?.subnets?.[0]?.gateway;
      if (!gateway) throw new Error(`network ${NETWORK} has no gateway:\n${inspected.stdout}`);

      moto = await startEmulator({ host: gateway });
      const secretsManager = new SecretsManagerClient({ endpoint: moto.url, ...awsClientConfig() });
      const secretId = `fargate-ai-stack/containers-test-${RUN_ID}/openai`;
      await secretsManager.send(new CreateSecretCommand({ Name: secretId, SecretString: TEST_KEY }));
      secretsManager.destroy();
      pool = await createTestUserPool(moto);
      await pool.addUser(TEST_EMAIL, TEST_PASSWORD);
      const table = await createTestBudgetTable(moto);
      const emulatorForContainers = `http://host.containers.internal:${moto.port}`;
      frontendAuthEnv = [
        `AUTH_USER_POOL_ID=${pool.poolId}`,
        `AUTH_CLIENT_ID=${pool.clientId}`,
        `SESSION_SECRET=${SESSION_SECRET}`,
        `AWS_ENDPOINT_URL=${emulatorForContainers}`,
        `AWS_REGION=${pool.region}`,
      ];
      fake = await startFakeOpenAI({
        host: gateway,
        expectedKey: TEST_KEY,
        reply: "Hello from the fake upstream.",
      });
      const port = (url: string) => new URL(url).port;

      created.containers.push(names.backend);
      await podmanOk([
        "run",
        "--detach",
        "--name",
        names.backend,
        "--network",
        NETWORK,
        "--network-alias",
        BACKEND_NAME,
        ...FARGATE_LIKE,
        // What the task definition gives the backend: the secret's id, never the key.
        "--env",
        `OPENAI_SECRET_ID=${secretId}`,
        "--env",
        `OPENAI_BASE_URL=http://host.containers.internal:${port(fake.url)}/v1`,
        "--env",
        `AWS_ENDPOINT_URL=${emulatorForContainers}`,
        ...Object.entries(emulatorCredentials).flatMap(([key, value]) => ["--env", `${key}=${value}`]),
        ...[
          `AUTH_USER_POOL_ID=${pool.poolId}`,
          `AUTH_CLIENT_ID=${pool.clientId}`,
          `BUDGET_TABLE=${table.tableName}`,
          "ENVIRONMENT_NAME=containers-test",
        ].flatMap((pair) => ["--env", pair]),
        images.backend,
      ]);
      ip.backend = await containerIp(names.backend);
      // Ready only once the key has been read from Secrets Manager.
      await waitForHttp(`http://${ip.backend}:4000/readyz`, names.backend);

      created.containers.push(names.frontend);
      await podmanOk([
        "run",
        "--detach",
        "--name",
        names.frontend,
        "--network",
        NETWORK,
        ...FARGATE_LIKE,
        "--env",
        `BACKEND_URL=http://${BACKEND_NAME}:4000`,
        ...frontendAuthEnv.flatMap((pair) => ["--env", pair]),
        images.frontend,
      ]);
      ip.frontend = await containerIp(names.frontend);
      await waitForHttp(`http://${ip.frontend}:3000/healthz`, names.frontend);

      // Signed in as a browser would be: the frontend's form, which asks the emulator's Cognito.
      const origin = `http://${ip.frontend}:3000`;
      const signedIn = await fetch(`${origin}/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin },
        body: new URLSearchParams({
          intent: "password",
          email: TEST_EMAIL,
          password: TEST_PASSWORD,
        }).toString(),
        redirect: "manual",
      });
      auth.cookie = signedIn.headers
        .getSetCookie()
        .map((cookie) => cookie.split(";")[0])
        .join("; ");
      expect(signedIn.status, `sign-in through the frontend: ${await signedIn.text()}`).to.be.oneOf([
        302, 303,
      ]);
      expect(auth.cookie).to.not.equal("");
      auth.bearer = `Bearer ${(await pool.signIn(TEST_EMAIL, TEST_PASSWORD)).accessToken}`;
    });

    after(async function () {
      this.timeout(2 * 60_000);
      for (const name of Object.values(names))
        await podman(["rm", "--force", "--volumes", "--time", "0", name]);
      await podman(["network", "rm", "--force", NETWORK]);
      await fake?.close();
      await moto?.stop();
    });

    it("both run as uid 1000, not root, and cannot write outside /tmp", async () => {
      for (const app of APPS) {
        const name = names[app];
        const inspect = JSON.parse((await podmanOk(["inspect", name])).stdout) as Array<{
          HostConfig: { ReadonlyRootfs: boolean };
        }>;
        expect(inspect[0]?.HostConfig.ReadonlyRootfs, app).to.equal(true);
        // The server process itself (PID 1), not just a shell started next to it.
        const status = await podmanOk(["exec", name, "cat", "/proc/1/status"]);
        expect(/^Uid:\s+(\d+)\s+(\d+)/m.exec(status.stdout)?.slice(1), `${app}: PID 1 uid`).to.deep.equal([
          "1000",
          "1000",
        ]);
        expect((await podmanOk(["exec", name, "id", "-u"])).stdout.trim(), app).to.equal("1000");
        expect((await podmanOk(["exec", name, "cat", "/proc/1/cmdline"])).stdout.split("\0")[0]).to.equal(
          "node",
        );

        // Read-only even for root: it is the filesystem, not file permissions, that refuses.
        for (const user of ["node", "root"]) {
          for (const target of ["/probe", "/app/probe", "/home/node/probe", "/run/probe", "/var/tmp/probe"]) {
            const write = await podman(["exec", "--user", user, name, "sh", "-c", `echo x > ${target}`]);
            expect(write.code, `${app}: ${user} wrote ${target}`).to.not.equal(0);
            if (user === "root") expect(write.stderr, `${app}: ${target}`).to.match(/read-only file system/i);
          }
        }
        // The one writable path: the /tmp the task mounts.
        const tmp = await podman(["exec", name, "sh", "-c", "echo x > /tmp/probe && cat /tmp/probe"]);
        expect(tmp.stdout.trim(), `${app}: /tmp must stay writable`).to.equal("x");
        // The image's HEALTHCHECK works under these restrictions. Exit 125 is Podman's own error, not the check's
        // (1 would be the check failing): it happened once in a parallel run, so that one is tried again.
        let health = await podman(["healthcheck", "run", name]);
        if (health.code === 125) health = await podman(["healthcheck", "run", name]);
        expect(health.code, `${app}: HEALTHCHECK: ${health.stdout}${health.stderr}`).to.equal(0);
      }
    });

    it("the frontend, given BACKEND_URL with the Cloud Map name and its sign-in settings, streams a signed-in chat reply; the key came from Secrets Manager", async () => {
      fake!.reset();
      fake!.setScenario({ kind: "ok", reply: "Hello from the fake upstream.", tokenDelayMs: 5 });
      const stream = await postSse(
        `http://${ip.frontend}:3000/api/chat`,
        { messages: [{ role: "user", content: "Say hello." }] },
        { headers: headersFor("frontend") },
      );
      await stream.done;
      expect(stream.status).to.equal(200);
      expect(stream.contentType).to.match(/^text\/event-stream/);
      expect(stream.events[0]?.event).to.equal("meta");
      expect(stream.text()).to.equal("Hello from the fake upstream.");
      expect(stream.events.filter((e) => e.event === "delta").length).to.be.greaterThan(1, "token by token");
      expect(stream.events.at(-1)?.event).to.equal("done");

      const chats = fake!.requests.filter((r) => r.path === "/v1/chat/completions");
      expect(chats).to.have.length(1);
      // Exactly the value stored in Secrets Manager, which the container was never given.
      expect(chats[0]?.headers.authorization).to.equal(`Bearer ${TEST_KEY}`);
      expect((chats[0]?.body as { messages: unknown }).messages).to.deep.equal([
        { role: "user", content: "Say hello." },
      ]);
      const backendEnv = await podmanOk(["inspect", names.backend, "--format", "{{json .Config.Env}}"]);
      expect(backendEnv.stdout).to.not.include(TEST_KEY);
      const frontendEnv = JSON.parse(
        (await podmanOk(["inspect", names.frontend, "--format", "{{json .Config.Env}}"])).stdout,
      ) as string[];
      const imageEnv = new Set(built("frontend").Config.Env ?? []);
      expect(
        frontendEnv.filter(
          (pair) => !imageEnv.has(pair) && !/^(PATH|HOSTNAME|HOME|container|TERM)=/.test(pair),
        ),
      ).to.have.members([`BACKEND_URL=http://${BACKEND_NAME}:4000`, ...frontendAuthEnv]);
      for (const app of APPS) {
        const logs = await podmanOk(["logs", names[app]]);
        expect(`${logs.stdout}${logs.stderr}`, `${app} logs`).to.not.include(TEST_KEY);
      }
    });

    /**
     * Starts a slow reply, sends SIGTERM through `podman stop --time 10` once the first token is in, and measures
     * how the stream and the container end.
     */
    /** A signed-in browser's headers for the frontend; the bearer token the frontend adds, for the backend. */
    function headersFor(app: App): Record<string, string> {
      return app === "frontend"
        ? { cookie: auth.cookie, origin: `http://${ip.frontend}:3000` }
        : { authorization: auth.bearer };
    }

    async function stopDuringStream(app: App, name: string, url: string) {
      fake!.setScenario({ kind: "ok", reply: REPLY_WORDS.join(" "), tokenDelayMs: 150 });
      const stream = await postSse(
        url,
        { messages: [{ role: "user", content: "Count slowly." }] },
        { headers: headersFor(app) },
      );
      expect(stream.status).to.equal(200);
      await stream.waitFor("delta");
      expect(
        stream.events.some((e) => e.event === "done"),
        "the reply ended before SIGTERM",
      ).to.equal(false);
      const stopAt = Date.now();
      const stopping = podman(["stop", "--time", "10", name], 60_000);
      const streamEnd = await stream.done;
      const stopped = await stopping;
      const stopReturnedAt = Date.now();
      expect(stopped.code, stopped.stderr).to.equal(0);
      const state = await containerState(name);
      // When the container's process ended (Podman's record), not when `podman stop` finished its own cleanup.
      const exitedAt = epochMs(state.FinishedAt);
      const logs = await podman(["logs", "--timestamps", name]);
      return {
        stream,
        stopAt,
        streamEnd,
        exitedAt,
        stopReturnedAt,
        state,
        logs: `${logs.stdout}${logs.stderr}`,
      };
    }

    function expectGracefulStop(app: App, result: Awaited<ReturnType<typeof stopDuringStream>>) {
      const { stream, stopAt, streamEnd, exitedAt, stopReturnedAt, state, logs } = result;
      const done = stream.events.find((e) => e.event === "done");
      console.log(
        `      ${app}: SIGTERM ${done ? stream.arrivedAt(done) - stopAt : "?"} ms before the reply ended; ` +
          `exited ${exitedAt - streamEnd} ms after it (podman stop returned after ${stopReturnedAt - streamEnd} ms), ` +
          `exit code ${state.ExitCode}`,
      );
      // The reply in flight was finished, not cut: every token, then done.
      expect(stream.text(), `${app}: the in-flight reply`).to.equal(REPLY_WORDS.join(" "));
      expect(stream.events.at(-1)?.event, `${app}: last event`).to.equal("done");
      expect(stream.arrivedAt(done!), "SIGTERM was sent while the reply streamed").to.be.greaterThan(stopAt);
      expect(state.Running).to.equal(false);
      // 0: the app's clean exit after draining (143 or 137 would mean killed by the signal or by podman).
      expect(state.ExitCode, `${app} exit code\n${logs}`).to.equal(0);
      expect(Number.isFinite(exitedAt), state.FinishedAt).to.equal(true);
      expect(exitedAt - streamEnd, `${app}: exit after the last stream ended (ms)\n${logs}`).to.be.at.most(
        5000,
      );
      expect(
        stopReturnedAt - stopAt,
        `${app}: podman stop must not have waited for its 10 s SIGKILL`,
      ).to.be.below(10_000);
      expect(logs).to.include("shutting down");
    }

    it("SIGTERM during a reply: the frontend finishes the stream, then exits 0 within 5 s", async () => {
      const result = await stopDuringStream(
        "frontend",
        names.frontend,
        `http://${ip.frontend}:3000/api/chat`,
      );
      expectGracefulStop("frontend", result);
    });

    it("SIGTERM during a reply: the backend finishes the stream, then exits 0 within 5 s", async () => {
      const result = await stopDuringStream("backend", names.backend, `http://${ip.backend}:4000/api/chat`);
      expectGracefulStop("backend", result);
    });
  });
});

function awsClientConfig() {
  return {
    region: emulatorCredentials.AWS_REGION,
    credentials: {
      accessKeyId: emulatorCredentials.AWS_ACCESS_KEY_ID,
      secretAccessKey: emulatorCredentials.AWS_SECRET_ACCESS_KEY,
    },
  };
}
