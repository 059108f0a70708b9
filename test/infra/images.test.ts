/**
 * The images module for real: builds the fixture image for two apps through Podman's Docker-compatible API,
 * pushes them to a local registry (Debian's docker-registry) with registry_override, and checks that the
 * module's digests are what the registry serves. Everything runs on private ports and sockets under a temporary
 * directory and is stopped and removed afterwards. Skipped only when Podman is not installed.
 */
import { expect } from "chai";
import { copyFile, mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLocalServices, type LocalServices } from "../../scripts/src/local/services.js";
import { projectEnv, run, runOk } from "../support/exec.js";
import { podmanListingRace } from "../support/podman-race.js";
import { modulesDir } from "../support/paths.js";

const MANIFEST_TYPES = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
].join(", ");
const APPS = ["frontend", "backend"] as const;
const TAG = "0123456789ab";

async function commandExists(command: string): Promise<boolean> {
  const result = await run("sh", ["-c", `command -v ${command}`]).catch(() => undefined);
  return result?.code === 0;
}

/**
 * A minimal root filesystem for the fixture's base image: the host's shell and `cat` with their shared
 * libraries (found with ldd), enough for the fixture's RUN step. Nothing is downloaded.
 */
async function makeRootfs(dir: string): Promise<void> {
  const files = new Set<string>();
  for (const binary of ["/bin/sh", "/bin/cat"]) {
    const real = await realpath(binary);
    await mkdir(path.join(dir, "bin"), { recursive: true });
    await copyFile(real, path.join(dir, "bin", path.basename(binary)));
    const ldd = await run("ldd", [real]);
    for (const match of ldd.stdout.matchAll(/(\/\S+)\s+\(0x/g)) files.add(match[1]!);
  }
  for (const file of files) {
    await mkdir(path.join(dir, path.dirname(file)), { recursive: true });
    await copyFile(await realpath(file), path.join(dir, file));
  }
  await mkdir(path.join(dir, "tmp"), { recursive: true });
}

describe("module images: builds and pushes through Podman's Docker API to a local registry", function () {
  this.timeout(5 * 60_000);

  let work: string;
  let services: LocalServices | undefined;
  let registryHost: string;
  let baseImage: string;
  let rootModule: string;
  let applied = false;
  let imageUris: Record<string, string> = {};
  // Podman's CLI needs to know the local registry is plain HTTP, as the service does.
  const podmanEnv = () =>
    projectEnv({
      CONTAINERS_REGISTRIES_CONF: services?.env.CONTAINERS_REGISTRIES_CONF,
      BUILDAH_ISOLATION: "chroot",
    });
  const tofu = (args: string[]) => run("tofu", args, { cwd: rootModule, env: projectEnv() });

  before(async function () {
    if (!(await commandExists("podman"))) {
      console.log("      (skipped: podman is not installed; `npm run setup` installs it)");
      this.skip();
    }
    for (const command of ["docker-registry", "tar", "ldd"]) {
      if (!(await commandExists(command))) {
        throw new Error(
          `${command} is missing: run \`npm run setup\` (Debian package docker-registry / libc-bin)`,
        );
      }
    }
    work = await mkdtemp(path.join(os.tmpdir(), "fas-images-"));
    // The local registry and Podman's Docker-compatible API, as `npm start` runs them, under the temporary
    // directory.
    services = await startLocalServices(work, projectEnv());
    registryHost = services.registry;

    // The fixture's base image, imported from a tiny root filesystem.
    baseImage = `localhost/fargate-ai-stack/images-test-base:${path
      .basename(work)
      .replace(/[^a-z0-9]/gi, "")
      .toLowerCase()}`;
    await makeRootfs(path.join(work, "rootfs"));
    await runOk("tar", ["-C", path.join(work, "rootfs"), "-cf", path.join(work, "rootfs.tar"), "."]);
    await runOk("podman", ["import", path.join(work, "rootfs.tar"), baseImage], { env: podmanEnv() });

    // A root module that calls the images module the way the live unit does, with registry_override.
    rootModule = path.join(work, "root");
    await mkdir(rootModule);
    const platform = process.arch === "arm64" ? "linux/arm64" : "linux/amd64";
    await writeFile(
      path.join(rootModule, "main.tf"),
      `
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "unused"
  secret_key                  = "unused"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "images" {
  source            = ${JSON.stringify(path.join(modulesDir, "images"))}
  docker_host       = ${JSON.stringify(services.dockerHost)}
  registry_override = ${JSON.stringify(registryHost)}
  image_tag         = "${TAG}"
  platform          = "${platform}"
  keep_remotely     = false
  repository_urls = {
    frontend = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-frontend"
    backend  = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fas-test-backend"
  }
  apps = {
    for app in ["frontend", "backend"] : app => {
      context    = ${JSON.stringify(path.join(modulesDir, "images", "tests", "fixture"))}
      build_args = { APP = app, BASE_IMAGE = ${JSON.stringify(baseImage)} }
    }
  }
}

output "image_uris" {
  value = module.images.image_uris
}
`,
    );
    await runOk("tofu", ["init", "-input=false", "-no-color"], { cwd: rootModule, env: projectEnv() });
  });

  after(async function () {
    this.timeout(2 * 60_000);
    if (applied && rootModule) await tofu(["destroy", "-auto-approve", "-no-color"]).catch(() => undefined);
    if (work) {
      // Local images: the module keeps them by default (keep_locally); the test leaves none behind.
      const images = [...APPS.map((app) => `${registryHost}/fas-test-${app}:${TAG}`), baseImage].filter(
        Boolean,
      );
      for (const image of images) await run("podman", ["rmi", "--force", image], { env: podmanEnv() });
    }
    await services?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const manifest = (app: string, reference: string, method = "GET") =>
    fetch(`http://${registryHost}/v2/fas-test-${app}/manifests/${reference}`, {
      method,
      headers: { Accept: MANIFEST_TYPES },
    });

  it("applies: builds the fixture for both apps and pushes it by git SHA", async () => {
    let result = await tofu(["apply", "-auto-approve", "-no-color"]);
    applied = true;
    // Reading the built images lists them: see podmanListingRace.
    if (result.code !== 0 && podmanListingRace(result.stdout + result.stderr))
      result = await tofu(["apply", "-auto-approve", "-no-color"]);
    expect(result.code, `${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`).to.equal(0);
    const outputs = await runOk("tofu", ["output", "-json", "image_uris"], {
      cwd: rootModule,
      env: projectEnv(),
    });
    imageUris = JSON.parse(outputs.stdout) as Record<string, string>;
    expect(Object.keys(imageUris).sort()).to.deep.equal(["backend", "frontend"]);
  });

  it("outputs each image by the digest the registry serves for its tag", async () => {
    for (const app of APPS) {
      const uri = imageUris[app] ?? "";
      const match = new RegExp(
        `^${registryHost.replace(/\./g, "\\.")}/fas-test-${app}@(sha256:[0-9a-f]{64})$`,
      ).exec(uri);
      expect(match, `${app}: image_uris must be <registry>/<repository>@sha256:..., got ${uri}`).to.not.equal(
        null,
      );
      const response = await manifest(app, TAG);
      expect(response.status, `${app}: the registry does not serve tag ${TAG}`).to.equal(200);
      expect(response.headers.get("docker-content-digest")).to.equal(match![1]);
      // The digest itself resolves (what ECS pulls when deploying by digest).
      expect((await manifest(app, match![1]!, "HEAD")).status).to.equal(200);
    }
    expect(imageUris.frontend!.split("@")[1]).to.not.equal(
      imageUris.backend!.split("@")[1],
      "the two apps' images must differ (build arguments reach the build)",
    );
  });

  it("ran the RUN step and labelled the image with the git SHA", async () => {
    const body = (await (await manifest("backend", TAG)).json()) as { config: { digest: string } };
    const config = (await (
      await fetch(`http://${registryHost}/v2/fas-test-backend/blobs/${body.config.digest}`)
    ).json()) as {
      config: { Labels?: Record<string, string>; User?: string };
      history?: Array<{ created_by?: string }>;
    };
    expect(config.config.Labels?.["org.opencontainers.image.revision"]).to.equal(TAG);
    expect(config.config.Labels?.["org.opencontainers.image.title"]).to.equal(
      "fargate-ai-stack-backend-fixture",
    );
    expect(config.config.User).to.equal("1000:1000");
    expect((config.history ?? []).some((step) => /echo .*fixture/.test(step.created_by ?? ""))).to.equal(
      true,
      "the fixture's RUN step is missing from the image history",
    );
  });

  it("a second plan shows no changes", async () => {
    let result = await tofu(["plan", "-detailed-exitcode", "-no-color"]);
    // Refreshing the images lists them too (see podmanListingRace); a plan with changes exits 2, never retried.
    if (result.code === 1 && podmanListingRace(result.stdout + result.stderr))
      result = await tofu(["plan", "-detailed-exitcode", "-no-color"]);
    expect(
      result.code,
      `expected no changes:\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`,
    ).to.equal(0);
  });

  it("destroy removes the pushed images from the registry (keep_remotely = false)", async () => {
    const result = await tofu(["destroy", "-auto-approve", "-no-color"]);
    expect(result.code, `${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`).to.equal(0);
    applied = false;
    for (const app of APPS) expect((await manifest(app, TAG, "HEAD")).status).to.equal(404);
  });
});
