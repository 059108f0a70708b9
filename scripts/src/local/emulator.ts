/**
 * The project's AWS API emulator (moto): scripts/moto.sh, which `npm start` runs and the other commands find
 * through its session. A fresh one for a measurement is test-support's startEmulator().
 */
import path from "node:path";
import { repoRoot } from "../lib/environments.js";
import { run } from "@fargate-ai-stack/test-support";

const motoScript = path.join(repoRoot, "scripts", "moto.sh");

/** Starts the project's emulator (scripts/moto.sh start) and returns its endpoint URL. */
export async function startProjectEmulator(): Promise<string> {
  const result = await run("bash", [motoScript, "start"]);
  if (result.code !== 0) throw new Error(`the AWS emulator did not start: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

export async function stopProjectEmulator(): Promise<void> {
  await run("bash", [motoScript, "stop"]);
}
