/**
 * A Cognito user pool in the emulator, shaped like the auth module's (email as the user name, an app client for
 * the frontend's server with no secret, USER_PASSWORD_AUTH and refresh tokens), for tests that sign in for real.
 */
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Emulator } from "./emulator.js";

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

export interface TestUserPool {
  region: string;
  poolId: string;
  clientId: string;
  /** https://cognito-idp.<region>.amazonaws.com/<pool id>, as in the tokens' iss claim. */
  issuer: string;
  /** Where the emulator serves the pool's signing keys. */
  jwksUrl: string;
  client: CognitoIdentityProviderClient;
  /** A confirmed user with a permanent password, or (temporary) one who must choose a new one at first sign-in. */
  addUser(email: string, password: string, options?: { temporary?: boolean }): Promise<void>;
  /** USER_PASSWORD_AUTH for a user with a permanent password. */
  signIn(email: string, password: string): Promise<Tokens>;
  /** Another app client of the same pool (a token from it must be refused). */
  addClient(name: string): Promise<string>;
}

/** A strong password that meets the module's policy (length 12+, all four character classes). */
export const TEST_PASSWORD = "Correct-Horse-7-Battery";

export async function createTestUserPool(
  emulator: Pick<Emulator, "url">,
  options: { name?: string; region?: string } = {},
): Promise<TestUserPool> {
  const region = options.region ?? "us-east-1";
  const client = new CognitoIdentityProviderClient({
    endpoint: emulator.url,
    region,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  const pool = await client.send(
    new CreateUserPoolCommand({
      PoolName: options.name ?? `test-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
      UsernameAttributes: ["email"],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    }),
  );
  const poolId = pool.UserPool?.Id;
  if (!poolId) throw new Error("the emulator returned no user pool id");

  const addClient = async (name: string): Promise<string> => {
    const made = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: name,
        GenerateSecret: false,
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        EnableTokenRevocation: true,
        PreventUserExistenceErrors: "ENABLED",
      }),
    );
    const id = made.UserPoolClient?.ClientId;
    if (!id) throw new Error("the emulator returned no app client id");
    return id;
  };
  const clientId = await addClient("frontend");

  return {
    region,
    poolId,
    clientId,
    issuer: `https://cognito-idp.${region}.amazonaws.com/${poolId}`,
    jwksUrl: `${emulator.url}/${poolId}/.well-known/jwks.json`,
    client,
    addClient,
    async addUser(email, password, { temporary = false } = {}) {
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: email,
          TemporaryPassword: temporary ? password : undefined,
          MessageAction: "SUPPRESS",
          UserAttributes: [
            { Name: "email", Value: email },
            { Name: "email_verified", Value: "true" },
          ],
        }),
      );
      if (!temporary) {
        await client.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: poolId,
            Username: email,
            Password: password,
            Permanent: true,
          }),
        );
      }
    },
    async signIn(email, password) {
      const answer = await client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      );
      const result = answer.AuthenticationResult;
      if (!result?.AccessToken || !result.IdToken || !result.RefreshToken) {
        throw new Error(`sign-in of ${email} gave no tokens (challenge: ${answer.ChallengeName ?? "none"})`);
      }
      return { accessToken: result.AccessToken, idToken: result.IdToken, refreshToken: result.RefreshToken };
    },
  };
}
