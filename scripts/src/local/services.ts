/**
 * The local stand-ins for AWS services that the emulator does not provide, shared by `npm start` and the
 * tests: a container registry (Debian's docker-registry) on a free loopback port, and Podman's Docker-compatible
 * API on a private socket (for the images unit's kreuzwerker/docker provider). Each runs as a daemon (its own
 * process group), so stop() leaves nothing behind.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { repoRoot } from "../lib/environments.js";
import {
  freePort,
  portIsFree,
  run,
  spawnProcess,
  waitFor,
  type RunningProcess,
} from "@fargate-ai-stack/test-support";

/** A daemon in its own process group, so stop() leaves nothing behind. */
function startDaemon(command: string, args: string[], env: NodeJS.ProcessEnv): RunningProcess {
  return spawnProcess(command, args, { env, group: true, keepChars: 4000 });
}

function socketPing(socketPath: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const request = http.get({ socketPath, path: "/_ping" }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("error", reject);
  });
}

export interface LocalServices {
  /** host:port of the plain-HTTP local registry. */
  registry: string;
  /** DOCKER_HOST for the images unit. */
  dockerHost: string;
  /** Environment for Terragrunt runs that build and push images. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The port the registry had last time under workDir while it is free, else a free one. The registry's address is
 * part of every image name in the applied environment, so keeping it lets a warm start restore the emulator's
 * snapshot of that environment (scripts/src/local/snapshots.ts).
 */
async function registryPort(workDir: string): Promise<number> {
  const file = path.join(workDir, "registry.port");
  const last = Number(await readFile(file, "utf8").catch(() => ""));
  const port = Number.isInteger(last) && last > 1023 && (await portIsFree(last)) ? last : await freePort();
  await writeFile(file, `${port}\n`);
  return port;
}

/** Starts the registry and Podman's API under workDir (created if needed). */
export async function startLocalServices(
  workDir: string,
  baseEnv: NodeJS.ProcessEnv,
): Promise<LocalServices> {
  await mkdir(workDir, { recursive: true });
  const registry = `127.0.0.1:${await registryPort(workDir)}`;
  const registryConfig = path.join(workDir, "registry.yml");
  await writeFile(
    registryConfig,
    [
      "version: 0.1",
      "log:",
      "  level: warn",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${path.join(workDir, "registry")}`,
      "  delete:",
      "    enabled: true",
      "http:",
      `  addr: ${registry}`,
      "",
    ].join("\n"),
  );
  const registryDaemon = startDaemon("docker-registry", ["serve", registryConfig], baseEnv);
  await waitFor("docker-registry", async () => (await fetch(`http://${registry}/v2/`)).ok, {
    process: registryDaemon,
  });

  // The local registry speaks plain HTTP: Podman must be told it is insecure.
  const registriesConf = path.join(workDir, "registries.conf");
  await writeFile(registriesConf, `[[registry]]\nlocation = "${registry}"\ninsecure = true\n`);
  const socket = path.join(workDir, "podman.sock");
  const podmanEnv = { ...baseEnv, CONTAINERS_REGISTRIES_CONF: registriesConf, BUILDAH_ISOLATION: "chroot" };
  const podman = startDaemon("podman", ["system", "service", "--time=0", `unix://${socket}`], podmanEnv);
  try {
    await waitFor("podman system service", () => socketPing(socket), { process: podman });
  } catch (error) {
    await registryDaemon.stop();
    throw error;
  }
  return {
    registry,
    dockerHost: `unix://${socket}`,
    env: {
      DOCKER_HOST: `unix://${socket}`,
      FAS_IMAGE_REGISTRY: registry,
      CONTAINERS_REGISTRIES_CONF: registriesConf,
    },
    async stop() {
      await podman.stop();
      await registryDaemon.stop();
    },
  };
}

/**
 * What `npm start` and `npm run services` start for the images unit: the registry and Podman's API under
 * .run/local, and the local Node.js base image its builds use.
 */
export async function startProjectServices(env: NodeJS.ProcessEnv): Promise<LocalServices> {
  await ensureBaseImage(env);
  return startLocalServices(path.join(repoRoot, ".run", "local"), env);
}

/** Makes the project's local Node.js base image for this machine's architecture when it is missing. */
export async function ensureBaseImage(env: NodeJS.ProcessEnv): Promise<void> {
  const arch = process.arch === "arm64" ? "arm64" : "amd64";
  const script = path.join(repoRoot, "scripts", "base-images.sh");
  const { code } = await run("bash", [script, "--arch", arch], { env, output: "inherit" });
  if (code !== 0) throw new Error(`scripts/base-images.sh failed (exit ${code})`);
}
