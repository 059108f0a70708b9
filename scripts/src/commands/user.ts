/**
 * The accounts of an environment (its Cognito user pool, made by the auth unit):
 *   npm run user:add -- --env dev --email ada@example.com [--password-stdin]
 *   npm run user:remove -- --env dev --email ada@example.com
 *   npm run user:list -- --env dev
 *
 * user:add makes a one-time password and prints it once (or reads it from stdin with --password-stdin, never from
 * the command line: argv ends up in shell history and process listings); the user chooses their own at the first
 * sign-in. Cognito sends no email: hand the password over yourself.
 *
 * AWS access: the usual credential chain, the environment's region from live/<env>/env.hcl; AWS_ENDPOINT_URL
 * points it at the local emulator, and so does a running `npm start`.
 */
import { parseCommandLine, runCommand, UsageError } from "../lib/command.js";
import { checkEnvironment, environments } from "../lib/environments.js";
import { formatTable } from "../lib/table.js";
import { checkTargetReachable, resolveTarget } from "../lib/target.js";
import {
  addUser,
  checkEmail,
  generatePassword,
  listUsers,
  passwordProblem,
  removeUser,
  userPoolOf,
} from "../lib/users.js";

const ENVS = environments().join("|");
const USAGE = `Usage:
  npm run user:add -- --env ${ENVS} --email ADDRESS [--password-stdin]
  npm run user:remove -- --env ${ENVS} --email ADDRESS
  npm run user:list -- --env ${ENVS}`;

const ACTIONS = ["add", "remove", "list"] as const;
type Action = (typeof ACTIONS)[number];

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

function parse(): { action: Action; env: string; email?: string; passwordStdin: boolean } {
  const [action, ...args] = process.argv.slice(2);
  if (!ACTIONS.includes(action as Action)) throw new UsageError(`unknown action "${action ?? ""}"\n${USAGE}`);
  const values = parseCommandLine(
    { env: { type: "string" }, email: { type: "string" }, "password-stdin": { type: "boolean" } },
    {
      text: USAGE,
      separator: "\n",
      // Never echo a stray argument: it may be a password.
      describe: (error) =>
        error.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"
          ? "unexpected argument (a password is never accepted on the command line: use --password-stdin)"
          : error.message,
    },
    args,
  );
  if (values.env === undefined) throw new UsageError(`--env is required\n${USAGE}`);
  const env = checkEnvironment(values.env, "--env");
  if (action === "list") {
    if (values.email !== undefined || values["password-stdin"]) {
      throw new UsageError(`user:list takes only --env\n${USAGE}`);
    }
    return { action, env, passwordStdin: false };
  }
  if (action === "remove" && values["password-stdin"]) {
    throw new UsageError(`user:remove takes --env and --email\n${USAGE}`);
  }
  return {
    action: action as Action,
    env,
    email: checkEmail(values.email),
    passwordStdin: !!values["password-stdin"],
  };
}

async function main(): Promise<void> {
  const { action, env, email, passwordStdin } = parse();
  const password = passwordStdin ? await readStdin() : undefined;
  if (password !== undefined) {
    const problem = password.length === 0 ? "the password on stdin is empty" : passwordProblem(password);
    if (problem) throw new UsageError(`${problem}; nobody was added`);
  }
  const target = resolveTarget();
  console.error(`Users of ${env} on ${target.description}`);
  await checkTargetReachable(target);
  const pool = await userPoolOf(target, env);

  if (action === "list") {
    const rows = await listUsers(pool);
    if (rows.length === 0) {
      console.log(`No users in ${env} yet: npm run user:add -- --env ${env} --email ADDRESS`);
      return;
    }
    const cells = rows.map((row) => [row.email, row.status, row.enabled ? "yes" : "no", row.created]);
    console.log(formatTable([["email", "status", "enabled", "created"], ...cells], { rule: true }));
    return;
  }
  if (action === "remove") {
    await removeUser(pool, email!);
    console.log(
      `Removed ${email} from ${env}. They are signed out everywhere; an access token already handed out works until it expires (at most an hour).`,
    );
    return;
  }
  const oneTime = password ?? generatePassword();
  await addUser(pool, email!, oneTime, { temporary: true });
  console.log(`Added ${email} to ${env}. They choose their own password at the first sign-in.`);
  if (password === undefined) console.log(`One-time password (shown only now): ${oneTime}`);
}

// AWS SDK failures keep their exception name (InvalidPasswordException: ...).
runCommand(main, { errorNames: true });
