// Sign-in for the tests: a fresh Cognito user pool, a signed-in user and a budgets table in the
// shared emulator, and the environment that points the backend at them. Each suite makes its own
// (a few emulator calls), so no suite depends on another's state or on an emulator reset.

import { randomUUID } from "node:crypto";
import {
  createTestBudgetTable,
  createTestUserPool,
  TEST_PASSWORD,
  type TestBudgetTable,
  type TestUserPool,
} from "@fargate-ai-stack/test-support";
import { useMoto } from "./moto.js";

export interface SignedInUser {
  email: string;
  /** The token's sub: the user's key in the budget table. */
  sub: string;
  accessToken: string;
  idToken: string;
  /** `{ authorization: "Bearer <access token>" }`, to spread into a request's headers. */
  headers: { authorization: string };
}

export interface TestIdentity {
  pool: TestUserPool;
  table: TestBudgetTable;
  /** The emulator's URL (AWS_ENDPOINT_URL). */
  endpoint: string;
  /** A user signed in at creation. */
  user: SignedInUser;
  /** AUTH_USER_POOL_ID, AUTH_CLIENT_ID, BUDGET_TABLE and AWS_ENDPOINT_URL for loadConfig. */
  env: Record<string, string>;
  /** Another confirmed, signed-in user of the same pool. */
  addUser(): Promise<SignedInUser>;
}

function subOf(jwt: string): string {
  const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as {
    sub: string;
  };
  return payload.sub;
}

export async function signUpAndIn(pool: TestUserPool): Promise<SignedInUser> {
  const email = `user-${randomUUID()}@example.com`;
  await pool.addUser(email, TEST_PASSWORD);
  const tokens = await pool.signIn(email, TEST_PASSWORD);
  return {
    email,
    sub: subOf(tokens.accessToken),
    accessToken: tokens.accessToken,
    idToken: tokens.idToken,
    headers: { authorization: `Bearer ${tokens.accessToken}` },
  };
}

export async function createTestIdentity(): Promise<TestIdentity> {
  const moto = await useMoto();
  const emulator = { url: moto.endpoint };
  const [pool, table] = await Promise.all([createTestUserPool(emulator), createTestBudgetTable(emulator)]);
  const user = await signUpAndIn(pool);
  return {
    pool,
    table,
    endpoint: moto.endpoint,
    user,
    env: {
      AUTH_USER_POOL_ID: pool.poolId,
      AUTH_CLIENT_ID: pool.clientId,
      BUDGET_TABLE: table.tableName,
      AWS_ENDPOINT_URL: moto.endpoint,
    },
    addUser: () => signUpAndIn(pool),
  };
}
