// The AWS emulator for the tests (Secrets Manager, and Cognito and DynamoDB for sign-in and budgets):
// the project's moto launcher, started on first use by the shared test-support package and stopped by
// the root hook (hooks.ts).

import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startEmulator, type Emulator } from "@fargate-ai-stack/test-support";

export const TEST_REGION = "us-east-1";
export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

export interface Moto {
  endpoint: string;
  /** A real SDK client pointed at the emulator. */
  client(): SecretsManagerClient;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

function wrap(emulator: Emulator): Moto {
  return {
    endpoint: emulator.url,
    client: () =>
      new SecretsManagerClient({
        endpoint: emulator.url,
        region: TEST_REGION,
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
      }),
    reset: () => emulator.reset(),
    stop: () => emulator.stop(),
  };
}

/** Shared by all test files: started on first use, stopped by the root hook. */
let shared: Promise<Moto> | undefined;

export function useMoto(): Promise<Moto> {
  shared ??= startEmulator().then(wrap);
  return shared;
}

export async function stopMoto(): Promise<void> {
  if (!shared) return;
  const moto = await shared.catch(() => undefined);
  shared = undefined;
  await moto?.stop();
}
