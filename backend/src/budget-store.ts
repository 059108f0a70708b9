// The daily token counters in DynamoDB (hash key `pk`, number `tokens`, TTL `expires_at`). A
// reservation adds to the user's and the environment's counter in ONE transaction, each add
// conditional on staying within its limit, so concurrent requests on any number of tasks can
// never reserve past a limit together. Settlement adds the difference to both, unconditionally.

import {
  DynamoDBClient,
  GetItemCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  UpdateItemCommand,
  type Update,
} from "@aws-sdk/client-dynamodb";
import { setTimeout as sleep } from "node:timers/promises";

export interface CounterRef {
  pk: string;
  limit: number;
}

/** Which limit a reservation would have broken. */
export interface Refusal {
  limit: "user" | "environment" | "both";
  /** The user's counter when it refused (absent if the table did not say). */
  userTokens?: number;
}

export interface BudgetStore {
  /** Adds `amount` to both counters, or to neither and says which limit stopped it. */
  reserve(user: CounterRef, env: CounterRef, amount: number, expiresAt: number): Promise<Refusal | undefined>;
  /** Adds `delta` (may be negative) to both counters; resolves to the user's counter afterwards. */
  adjust(userPk: string, envPk: string, delta: number, expiresAt: number): Promise<number>;
  /** The counters' values (0 for a counter not written yet). */
  read(pk: string): Promise<number>;
}

/** Any failure talking to the table: the chat is refused (503), never run unmetered. */
export class BudgetStoreError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = "BudgetStoreError";
  }
}

/** Transactions touching the same item at once are cancelled with TransactionConflict; retry those. */
const CONFLICT_RETRIES = 5;

function awsCode(err: unknown): string {
  return err instanceof Error ? err.name : String(err);
}

export class DynamoBudgetStore implements BudgetStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  /**
   * A client with short timeouts: a slow table must not hold chats for minutes. Endpoint and
   * region come from the environment (AWS_ENDPOINT_URL, AWS_REGION) as usual; without a region,
   * the user pool's is used (same region in this stack).
   */
  static client(fallbackRegion?: string): DynamoDBClient {
    const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION ? undefined : fallbackRegion;
    return new DynamoDBClient({
      ...(region ? { region } : {}),
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 },
    });
  }

  async reserve(
    user: CounterRef,
    env: CounterRef,
    amount: number,
    expiresAt: number,
  ): Promise<Refusal | undefined> {
    const items = [user, env].map((c) => ({ Update: this.conditionalAdd(c, amount, expiresAt) }));
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return undefined;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) {
          throw new BudgetStoreError(`reserving tokens failed: ${awsCode(err)}`, { cause: err });
        }
        const reasons = err.CancellationReasons ?? [];
        const codes = reasons.map((r) => r.Code ?? "None");
        const userFailed = codes[0] === "ConditionalCheckFailed";
        const envFailed = codes[1] === "ConditionalCheckFailed";
        if (userFailed || envFailed) {
          const limit: Refusal["limit"] =
            userFailed && envFailed ? "both" : userFailed ? "user" : "environment";
          const tokens = reasons[0]?.Item?.tokens?.N;
          return tokens === undefined ? { limit } : { limit, userTokens: Number(tokens) };
        }
        if (codes.includes("TransactionConflict") && attempt < CONFLICT_RETRIES) {
          await sleep(10 * 2 ** attempt * (0.5 + Math.random()));
          continue;
        }
        throw new BudgetStoreError(`reserving tokens was cancelled: ${codes.join(", ") || awsCode(err)}`, {
          cause: err,
        });
      }
    }
  }

  async adjust(userPk: string, envPk: string, delta: number, expiresAt: number): Promise<number> {
    try {
      const [user] = await Promise.all([
        this.client.send(
          new UpdateItemCommand({ ...this.add(userPk, delta, expiresAt), ReturnValues: "UPDATED_NEW" }),
        ),
        this.client.send(new UpdateItemCommand(this.add(envPk, delta, expiresAt))),
      ]);
      return Number(user.Attributes?.tokens?.N ?? 0);
    } catch (err) {
      throw new BudgetStoreError(`settling tokens failed: ${awsCode(err)}`, { cause: err });
    }
  }

  async read(pk: string): Promise<number> {
    try {
      const out = await this.client.send(
        new GetItemCommand({
          TableName: this.table,
          Key: { pk: { S: pk } },
          ProjectionExpression: "tokens",
          ConsistentRead: true,
        }),
      );
      return Number(out.Item?.tokens?.N ?? 0);
    } catch (err) {
      throw new BudgetStoreError(`reading the budget failed: ${awsCode(err)}`, { cause: err });
    }
  }

  private add(pk: string, delta: number, expiresAt: number) {
    return {
      TableName: this.table,
      Key: { pk: { S: pk } },
      UpdateExpression: "ADD tokens :delta SET expires_at = if_not_exists(expires_at, :expires)",
      ExpressionAttributeValues: { ":delta": { N: String(delta) }, ":expires": { N: String(expiresAt) } },
    };
  }

  private conditionalAdd(counter: CounterRef, amount: number, expiresAt: number): Update {
    const base = this.add(counter.pk, amount, expiresAt);
    return {
      ...base,
      // Within the limit after adding: tokens + amount <= limit. The caller never reserves more
      // than a limit, so a counter that does not exist yet always passes.
      ConditionExpression: "attribute_not_exists(tokens) OR tokens <= :max",
      // A refusal then says how much was left, for the error message.
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      ExpressionAttributeValues: {
        ...base.ExpressionAttributeValues,
        ":max": { N: String(counter.limit - amount) },
      },
    };
  }
}
