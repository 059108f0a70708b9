// The DynamoDB store's handling of what the emulator does not produce on its own: transactions
// cancelled because another one touched the same counter (real DynamoDB does this under load).

import { TransactionCanceledException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { BudgetStoreError, DynamoBudgetStore } from "../src/budget-store.js";

function cancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: "Transaction cancelled",
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

/** A client that fails with the given errors, in order, then succeeds. */
function scripted(errors: unknown[]): { client: DynamoDBClient; calls: () => number } {
  let calls = 0;
  const client = {
    send: () => {
      const err = errors[calls];
      calls += 1;
      return err === undefined ? Promise.resolve({}) : Promise.reject(err);
    },
  } as unknown as DynamoDBClient;
  return { client, calls: () => calls };
}

const user = { pk: "user#u#2026-12-02", limit: 1000 };
const env = { pk: "env#local#2026-12-02", limit: 5000 };

describe("budget store (DynamoDB)", function () {
  it("retries a reservation cancelled by a transaction conflict", async function () {
    const { client, calls } = scripted([
      cancelled("TransactionConflict", "None"),
      cancelled("None", "TransactionConflict"),
    ]);
    expect(await new DynamoBudgetStore(client, "t").reserve(user, env, 100, 1)).to.equal(undefined);
    expect(calls()).to.equal(3);
  });

  it("says which limit refused, the environment's included", async function () {
    for (const [codes, refusal] of [
      [["ConditionalCheckFailed", "None"], "user"],
      [["None", "ConditionalCheckFailed"], "environment"],
      [["ConditionalCheckFailed", "ConditionalCheckFailed"], "both"],
    ] as const) {
      const { client } = scripted([cancelled(...codes)]);
      expect(await new DynamoBudgetStore(client, "t").reserve(user, env, 100, 1)).to.deep.equal({
        limit: refusal,
      });
    }
  });

  it("gives up after repeated conflicts, and on any other failure, with a BudgetStoreError", async function () {
    const conflicts = Array.from({ length: 10 }, () => cancelled("TransactionConflict", "None"));
    const { client, calls } = scripted(conflicts);
    const err = await new DynamoBudgetStore(client, "t").reserve(user, env, 100, 1).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BudgetStoreError);
    expect(calls()).to.equal(6);
    const denied = Object.assign(new Error("denied"), { name: "AccessDeniedException" });
    const other = await new DynamoBudgetStore(scripted([denied]).client, "t")
      .reserve(user, env, 100, 1)
      .catch((e: unknown) => e);
    expect(other).to.be.instanceOf(BudgetStoreError);
    expect((other as Error).message).to.include("AccessDeniedException");
  });
});
