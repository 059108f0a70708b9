/**
 * `npm run secret:set -- --env dev`: stores the OpenAI API key in the environment's Secrets Manager secret
 * "fargate-ai-stack-<env>/openai-api-key" (created, empty, by the secrets unit) with PutSecretValue.
 *
 * The key is read from a hidden prompt when stdin is a terminal, or from stdin otherwise
 *   (e.g. `npm run secret:set -- --env prod < key.txt`, or piped from a password manager),
 * never from the command line (argv ends up in shell history and process listings). It is never printed: the
 * command prints the secret's ARN and the new version ID.
 *
 * AWS access: the usual credential chain and region (AWS_REGION, else the environment's region from
 * live/<env>/env.hcl). AWS_ENDPOINT_URL points it at the local emulator; so does a running `npm start`.
 */
import {
  DescribeSecretCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { parseCommandLine, runCommand, UsageError } from "../lib/command.js";
import { checkEnvironment, environments } from "../lib/environments.js";
import { resolveTarget, sdkConfig } from "../lib/target.js";

const APP = "fargate-ai-stack";
const USAGE = `Usage: npm run secret:set -- --env ${environments().join("|")}
Stores the OpenAI API key in the secret "${APP}-<env>/openai-api-key".
The key is read from a hidden prompt (terminal) or from stdin (e.g. < key.txt); never pass it as an argument.`;

function parseSecretSetCommandLine(): { env: string } {
  const values = parseCommandLine(
    { env: { type: "string" } },
    {
      text: USAGE,
      separator: "\n",
      // Never echo the offending argument: it may be the key itself.
      describe: (error) =>
        error.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"
          ? "unexpected argument (the key is never accepted on the command line: type it at the prompt or pipe it to stdin)"
          : "unknown option",
    },
  );
  if (values.env === undefined) throw new UsageError(`--env is required\n${USAGE}`);
  try {
    return { env: checkEnvironment(values.env, "--env") };
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    let value = "";
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\u0003") return finish(new UsageError("cancelled")); // Ctrl-C
        if (char === "\r" || char === "\n" || char === "\u0004") return finish(); // Enter, Ctrl-D
        if (char === "\u007f" || char === "\b")
          value = value.slice(0, -1); // Backspace
        else if (char === "\u0015")
          value = ""; // Ctrl-U
        else value += char;
      }
    };
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing line break (from `echo` or a file) is not part of the key.
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Checks the key's shape; returns warnings. Messages never contain the key. */
function checkKey(key: string): { error?: string; warnings: string[] } {
  if (key.length === 0) return { error: "the key is empty", warnings: [] };
  if (/\s/.test(key))
    return { error: "the key contains whitespace (a space, tab or line break)", warnings: [] };
  const warnings: string[] = [];
  if (!key.startsWith("sk-")) warnings.push('the key does not start with "sk-" (OpenAI keys usually do)');
  if (key.length < 20) warnings.push(`the key is unusually short (${key.length} characters)`);
  return { warnings };
}

/** The key, from a hidden prompt on a terminal or else from stdin; a UsageError when it cannot be a key. */
async function readKey(env: string): Promise<string> {
  const key = process.stdin.isTTY
    ? await promptHidden(`OpenAI API key for ${env} (input hidden): `)
    : await readStdin();
  const { error, warnings } = checkKey(key);
  if (error) throw new UsageError(`${error}; nothing was stored`);
  for (const warning of warnings) console.error(`warning: ${warning}`);
  return key;
}

async function secretSet(): Promise<void> {
  const { env } = parseSecretSetCommandLine();
  const secretName = `${APP}-${env}/openai-api-key`;
  const key = await readKey(env);

  // AWS_ENDPOINT_URL, else the emulator of a running `npm start`, else real AWS.
  const target = resolveTarget();
  console.error(`Storing the key on ${target.description}`);
  const endpoint = target.kind === "emulator" ? target.env.AWS_ENDPOINT_URL : undefined;
  const client = new SecretsManagerClient(sdkConfig(target, env));
  const described = await client.send(new DescribeSecretCommand({ SecretId: secretName })).catch((caught) => {
    if (caught instanceof ResourceNotFoundException) {
      throw new Error(
        `secret ${secretName} not found${endpoint ? ` at ${endpoint}` : ""}: apply the secrets unit first (cd live/${env}/secrets && terragrunt apply)`,
        { cause: caught },
      );
    }
    throw caught;
  });
  const arn = described.ARN!;
  if (described.DeletedDate) {
    throw new Error(
      `the secret ${secretName} is scheduled for deletion: restore it (aws secretsmanager restore-secret) or apply live/${env}/secrets`,
    );
  }

  const put = await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: key }));
  console.log(`Stored the OpenAI API key of ${env}.`);
  console.log(`  secret:  ${put.ARN ?? arn}`);
  console.log(`  version: ${put.VersionId}`);
  console.log("The backend reads it at start-up: redeploy or restart its tasks to pick up a new key.");
}

// AWS SDK failures keep their exception name (AccessDeniedException: ...).
runCommand(secretSet, { errorNames: true });
