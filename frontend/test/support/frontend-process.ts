import { spawnNode, type RunningProcess } from "@fargate-ai-stack/test-support";
import { FRONTEND_DIR } from "./paths";

/** The real server.ts in production mode (as the image runs it) on a free loopback port; `env` on top. */
export function spawnFrontend(env: Record<string, string>): RunningProcess {
  return spawnNode("server.ts", {
    cwd: FRONTEND_DIR,
    env: { PATH: process.env.PATH, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", ...env },
  });
}

/** The frontend's base URL, once its "listening" log line names the port it bound. */
export async function listeningUrl(server: RunningProcess, timeoutMs?: number): Promise<string> {
  const { port } = JSON.parse(await server.waitForLine(/"message":"listening"/, timeoutMs)) as {
    port: number;
  };
  return `http://127.0.0.1:${port}`;
}
