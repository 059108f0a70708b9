/**
 * The budgets table in the emulator, shaped like the budgets module's (hash key `pk`, TTL on `expires_at`), for
 * tests that run the backend's budget checks for real.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import type { Emulator } from "./emulator.js";

export interface TestBudgetTable {
  tableName: string;
  client: DynamoDBClient;
}

export async function createTestBudgetTable(
  emulator: Pick<Emulator, "url">,
  options: { name?: string; region?: string } = {},
): Promise<TestBudgetTable> {
  const tableName = options.name ?? `budgets-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const client = new DynamoDBClient({
    endpoint: emulator.url,
    region: options.region ?? "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: "expires_at", Enabled: true },
    }),
  );
  return { tableName, client };
}
