import { SetUserPoolMfaConfigCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createTestUserPool, startEmulator, type TestUserPool } from "@fargate-ai-stack/test-support";
import { startFrontendInProcess } from "./frontend-app";
import { TEST_SESSION_SECRET } from "./session";
import { startStubBackend } from "./stub-backend";

export interface MfaFrontend {
  url: string;
  pool: TestUserPool;
  close(): Promise<void>;
}

/**
 * The app in process against a pool with TOTP MFA required, in an emulator of its own: moto checks TOTP codes
 * only with MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP, which holds for its whole process.
 */
export async function startMfaFrontend(): Promise<MfaFrontend> {
  const emulator = await startEmulator({ env: { MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP: "true" } });
  try {
    const pool = await createTestUserPool(emulator);
    await pool.client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: pool.poolId,
        SoftwareTokenMfaConfiguration: { Enabled: true },
        MfaConfiguration: "ON",
      }),
    );
    const backend = await startStubBackend();
    const frontend = await startFrontendInProcess(backend.url, {
      userPoolId: pool.poolId,
      clientId: pool.clientId,
      region: pool.region,
      endpoint: emulator.url,
      sessionSecret: TEST_SESSION_SECRET,
    });
    return {
      url: frontend.url,
      pool,
      async close() {
        await frontend.close();
        await backend.close();
        await emulator.stop();
      },
    };
  } catch (err) {
    await emulator.stop();
    throw err;
  }
}

/** The setup key as the page's otpauth link carries it. */
export function secretIn(html: string): string {
  const match = /otpauth:\/\/totp\/[^"]*?secret=([A-Za-z2-7]+)/.exec(html);
  if (!match) throw new Error("no otpauth link in the page");
  return match[1]!;
}
