/**
 * The local stand-ins for AWS services that the emulator does not provide, shared by `npm start` and the
 * tests: a container registry (Debian's docker-registry) on a free loopback port, and Podman's Docker-compatible
 * API on a private socket (for the images unit's kreuzwerker/docker provider). Each runs in its own process group
 * so stop() leaves nothing behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface Daemon {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port")),
      );
    });
  });
}

export function startDaemon(command: string, args: string[], env: NodeJS.ProcessEnv): Daemon {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("error", (error) => (output += `\n${error.message}`));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function waitFor(
  what: string,
  daemon: Daemon,
  probe: () => Promise<boolean>,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (daemon.child.exitCode !== null) {
      throw new Error(`${what} exited with code ${daemon.child.exitCode}:\n${daemon.output()}`);
    }
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not answer within ${timeoutMs} ms:\n${daemon.output()}`);
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

/** Starts the registry and Podman's API under workDir (created if needed). */
export async function startLocalServices(
  workDir: string,
  baseEnv: NodeJS.ProcessEnv,
): Promise<LocalServices> {
  await mkdir(workDir, { recursive: true });
  const registry = `127.0.0.1:${await freePort()}`;
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
  await waitFor("docker-registry", registryDaemon, async () => (await fetch(`http://${registry}/v2/`)).ok);

  // The local registry speaks plain HTTP: Podman must be told it is insecure.
  const registriesConf = path.join(workDir, "registries.conf");
  await writeFile(registriesConf, `[[registry]]\nlocation = "${registry}"\ninsecure = true\n`);
  const socket = path.join(workDir, "podman.sock");
  const podmanEnv = { ...baseEnv, CONTAINERS_REGISTRIES_CONF: registriesConf, BUILDAH_ISOLATION: "chroot" };
  const podman = startDaemon("podman", ["system", "service", "--time=0", `unix://${socket}`], podmanEnv);
  try {
    await waitFor("podman system service", podman, () => socketPing(socket));
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

/** Makes the project's local Node.js base image for this machine's architecture when it is missing. */
export async function ensureBaseImage(env: NodeJS.ProcessEnv): Promise<void> {
  const arch = process.arch === "arm64" ? "arm64" : "amd64";
  await new Promise<void>((resolve, reject) => {
    const child = spawn("bash", [path.join(repoRoot, "scripts", "base-images.sh"), "--arch", arch], {
      env,
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`scripts/base-images.sh failed (exit ${code})`)),
    );
  });
}
