// Runs the backend as its own process, the way the frontend's browser tests and a container
// do: `node --import tsx backend/src/server.ts` from the repository root.

import { repoRoot, spawnNode, type RunningProcess } from "@fargate-ai-stack/test-support";

export interface ServerProcess extends RunningProcess {
  url: string;
  /** Resolves when a log line with this message has been printed. */
  waitForLog(message: string, timeoutMs?: number): Promise<void>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function runServer(env: Record<string, string>): RunningProcess & { ready: Promise<ServerProcess> } {
  const server = spawnNode("backend/src/server.ts", {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      HOST: "127.0.0.1",
      PORT: "0",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...env,
    },
  });
  const waitForLog = async (message: string, timeoutMs = 20_000): Promise<void> => {
    await server.waitForLine(new RegExp(`"message":"${escapeRegExp(message)}"`), timeoutMs);
  };
  const ready = server.waitForLine(/"message":"listening"/).then((line) => ({
    ...server,
    url: (JSON.parse(line) as { url: string }).url,
    waitForLog,
  }));
  // A server that refuses to start never gets ready; that test awaits `exited` instead.
  ready.catch(() => undefined);
  return { ...server, ready };
}
