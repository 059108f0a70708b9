// Runs the fake OpenAI server as its own process:
//   node --import tsx test/fake-openai/src/cli.ts [--port 0] [--host 127.0.0.1] [--reply TEXT]
//     [--token-delay-ms N] [--expected-key KEY]
// Prints "listening <base url>" once it accepts connections; SIGTERM or SIGINT stops it cleanly.

import { parseArgs } from "node:util";
import { startFakeOpenAI } from "./server.js";

function numberArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`fake-openai: --${name} must be a non-negative integer (got "${value}")`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    reply: { type: "string" },
    "token-delay-ms": { type: "string" },
    "expected-key": { type: "string" },
  },
  strict: true,
});

const port = numberArg("port", values.port);
const tokenDelayMs = numberArg("token-delay-ms", values["token-delay-ms"]);
const fake = await startFakeOpenAI({
  ...(values.host === undefined ? {} : { host: values.host }),
  ...(port === undefined ? {} : { port }),
  ...(values.reply === undefined ? {} : { reply: values.reply }),
  ...(tokenDelayMs === undefined ? {} : { tokenDelayMs }),
  ...(values["expected-key"] === undefined ? {} : { expectedKey: values["expected-key"] }),
});
process.stdout.write(`listening ${fake.url}\n`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  fake.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error("fake-openai: error while closing", err);
      process.exit(1);
    },
  );
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
