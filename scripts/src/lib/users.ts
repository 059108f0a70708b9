/**
 * The accounts of an environment's Cognito user pool (the auth unit): add, remove and list, for the user:*
 * commands and for the local user `npm start` makes. Email is the user name.
 */
import { randomBytes, randomInt } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  UsernameExistsException,
  UserNotFoundException,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { UsageError } from "./command.js";
import { sdkConfig, type Target } from "./target.js";
import { unitOutputs } from "./terragrunt.js";

/** Loose on purpose: Cognito checks the address itself; this only catches typos such as a missing @. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(value: string | undefined, option = "--email"): string {
  if (value === undefined) throw new UsageError(`${option} is required, e.g. ${option} ada@example.com`);
  const email = value.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254) {
    throw new UsageError(
      `${option} must be an email address, e.g. ${option} ada@example.com (got "${value}")`,
    );
  }
  return email;
}

/**
 * The auth module's password policy (modules/auth: 12+ characters with a lower- and an upper-case letter, a digit
 * and a symbol), checked before Cognito is asked: Cognito does not check a temporary password against it.
 */
export function passwordProblem(password: string): string | undefined {
  const missing = [
    [/[a-z]/, "a lower-case letter"],
    [/[A-Z]/, "an upper-case letter"],
    [/\d/, "a digit"],
    [/[^A-Za-z0-9\s]/, "a symbol"],
  ]
    .filter(([pattern]) => !(pattern as RegExp).test(password))
    .map(([, what]) => what as string);
  if (password.length < 12) missing.unshift("at least 12 characters");
  if (/\s/.test(password)) return "the password must not contain spaces or line breaks";
  return missing.length === 0 ? undefined : `the password needs ${missing.join(", ")} (the pool's policy)`;
}

/**
 * A password that meets the pool's policy (12+ characters with lower and upper case, a digit and a symbol):
 * 20 random URL-safe characters with one of each class added at random places.
 */
export function generatePassword(): string {
  const chars = [...randomBytes(15).toString("base64url")];
  for (const required of ["a", "Z", "7", "!"]) chars.splice(randomInt(chars.length + 1), 0, required);
  return chars.join("");
}

export interface UserPool {
  env: string;
  poolId: string;
  client: CognitoIdentityProviderClient;
}

/** The user pool of live/<env>, from its auth unit's outputs (read here unless the caller has them). */
export async function userPoolOf(
  target: Target,
  env: string,
  outputs?: Record<string, unknown>,
): Promise<UserPool> {
  const poolId = (outputs ?? (await unitOutputs(target, env, "auth"))).user_pool_id;
  if (typeof poolId !== "string" || poolId === "") {
    throw new UsageError(
      `live/${env}/auth is not applied, so there is no user pool: apply it first (\`npm start\` for dev on this machine, or \`terragrunt run --all apply\` in live/${env})`,
    );
  }
  return { env, poolId, client: new CognitoIdentityProviderClient(sdkConfig(target, env)) };
}

/**
 * Creates a user. `temporary`: the password must be changed at the first sign-in (Cognito's
 * NEW_PASSWORD_REQUIRED). Cognito sends no invitation: the caller hands the password over.
 */
export async function addUser(
  pool: UserPool,
  email: string,
  password: string,
  { temporary }: { temporary: boolean },
): Promise<void> {
  await pool.client
    .send(
      new AdminCreateUserCommand({
        UserPoolId: pool.poolId,
        Username: email,
        TemporaryPassword: temporary ? password : undefined,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: email },
          // The operator vouches for the address; it is what account recovery writes to.
          { Name: "email_verified", Value: "true" },
        ],
      }),
    )
    .catch((error: unknown) => {
      if (error instanceof UsernameExistsException) {
        throw new UsageError(
          `${email} already has an account in ${pool.env}: \`npm run user:remove -- --env ${pool.env} --email ${email}\` first to make it again`,
        );
      }
      throw error;
    });
  if (!temporary) {
    await pool.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool.poolId,
        Username: email,
        Password: password,
        Permanent: true,
      }),
    );
  }
}

/** Makes sure the user exists with this permanent password (npm start's local user: created or reset). */
export async function ensureUser(pool: UserPool, email: string, password: string): Promise<void> {
  await pool.client
    .send(
      new AdminCreateUserCommand({
        UserPoolId: pool.poolId,
        Username: email,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof UsernameExistsException)) throw error;
    });
  await pool.client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: pool.poolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
}

/** Signs the user out everywhere (their refresh tokens stop working), then deletes the account. */
export async function removeUser(pool: UserPool, email: string): Promise<void> {
  await pool.client
    .send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.poolId, Username: email }))
    .then(() => pool.client.send(new AdminDeleteUserCommand({ UserPoolId: pool.poolId, Username: email })))
    .catch((error: unknown) => {
      if (error instanceof UserNotFoundException) {
        throw new UsageError(
          `${email} has no account in ${pool.env}: \`npm run user:list -- --env ${pool.env}\` lists them`,
        );
      }
      throw error;
    });
}

export interface UserRow {
  email: string;
  status: string;
  enabled: boolean;
  created: string;
}

function toRow(user: UserType): UserRow {
  const email =
    user.Attributes?.find((attribute) => attribute.Name === "email")?.Value ?? user.Username ?? "";
  return {
    email,
    status: user.UserStatus ?? "UNKNOWN",
    enabled: user.Enabled ?? false,
    created: user.UserCreateDate?.toISOString() ?? "",
  };
}

/** Every user of the pool, by email, through all pages. */
export async function listUsers(pool: UserPool): Promise<UserRow[]> {
  const rows: UserRow[] = [];
  let token: string | undefined;
  do {
    const page = await pool.client.send(
      new ListUsersCommand({ UserPoolId: pool.poolId, PaginationToken: token, Limit: 60 }),
    );
    rows.push(...(page.Users ?? []).map(toRow));
    token = page.PaginationToken;
  } while (token);
  return rows.sort((a, b) => a.email.localeCompare(b.email));
}
