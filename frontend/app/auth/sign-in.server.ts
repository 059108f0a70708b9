import { type AppLoadContext, data, redirect } from "@remix-run/node";
import { clearChallenge, commitChallenge, readChallenge } from "./challenge-cookie.server";
import {
  cognitoErrorName,
  setNewPassword,
  signInWithPassword,
  type NewPasswordResult,
  type SignInResult,
} from "./cognito.server";
import { safeNextPath } from "./next-path";
import { commitSession } from "./session-cookie.server";
import { newPasswordStepProblem, passwordStepProblem } from "./sign-in-errors.server";

/** What the sign-in page shows after a post that did not sign the person in. */
export interface SignInStep {
  step: "password" | "new-password";
  email: string;
  error?: string;
}

const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/** Handles both steps of the sign-in form. Passwords are never logged, echoed or put back into the page. */
export async function handleSignIn(request: Request, context: AppLoadContext) {
  const form = await request.formData();
  const next = safeNextPath(text(form, "next"));
  if (text(form, "intent") === "new-password") return newPasswordStep(request, context, form, next);
  return passwordStep(request, context, form, next);
}

async function passwordStep(request: Request, context: AppLoadContext, form: FormData, next: string) {
  const email = text(form, "email").trim();
  const password = text(form, "password");
  if (!email || !password) {
    return data<SignInStep>(
      { step: "password", email, error: "Enter your email address and password." },
      400,
    );
  }
  let result: SignInResult;
  try {
    result = await signInWithPassword(context.auth, email, password);
  } catch (err) {
    const reason = cognitoErrorName(err);
    const { message, unexpected } = passwordStepProblem(reason);
    logFailure(context, "sign-in refused", reason, unexpected);
    return data<SignInStep>({ step: "password", email, error: message }, 400);
  }
  if (result.kind === "new-password-required") {
    const challenge = { challengeSession: result.challengeSession, username: result.username, email };
    return data<SignInStep>(
      { step: "new-password", email },
      { headers: { "Set-Cookie": await commitChallenge(request, challenge, context.auth.sessionSecret) } },
    );
  }
  return finish(request, context, result, email, next);
}

async function newPasswordStep(request: Request, context: AppLoadContext, form: FormData, next: string) {
  const challenge = await readChallenge(request, context.auth.sessionSecret);
  if (!challenge) {
    return data<SignInStep>(
      {
        step: "password",
        email: "",
        error: "That took too long. Sign in again with your temporary password.",
      },
      400,
    );
  }
  const { email } = challenge;
  const newPassword = text(form, "newPassword");
  if (!newPassword)
    return data<SignInStep>({ step: "new-password", email, error: "Choose a new password." }, 400);
  if (newPassword !== text(form, "confirmPassword")) {
    return data<SignInStep>({ step: "new-password", email, error: "The two passwords don't match." }, 400);
  }
  let result: NewPasswordResult;
  try {
    result = await setNewPassword(context.auth, challenge, newPassword);
  } catch (err) {
    const reason = cognitoErrorName(err);
    const problem = newPasswordStepProblem(reason, (err as Error).message ?? "");
    logFailure(context, "new password refused", reason, problem.unexpected);
    if (problem.restart) {
      return data<SignInStep>(
        { step: "password", email, error: problem.message },
        { status: 400, headers: { "Set-Cookie": clearChallenge(request) } },
      );
    }
    return data<SignInStep>({ step: "new-password", email, error: problem.message }, 400);
  }
  return finish(request, context, result, email, next);
}

async function finish(
  request: Request,
  context: AppLoadContext,
  result: NewPasswordResult,
  email: string,
  next: string,
) {
  if (result.kind === "unsupported-challenge") {
    logFailure(context, "sign-in needs an unsupported challenge", result.challenge);
    return data<SignInStep>(
      {
        step: "password",
        email,
        error:
          "This account needs a sign-in step this app doesn't support yet (such as MFA). Ask an administrator.",
      },
      { status: 400, headers: { "Set-Cookie": clearChallenge(request) } },
    );
  }
  const headers = new Headers();
  headers.append("Set-Cookie", await commitSession(request, result.session, context.auth.sessionSecret));
  headers.append("Set-Cookie", clearChallenge(request));
  context.logger.info("signed in", { requestId: context.requestId });
  return redirect(next, { headers });
}

/** The exception name only: Cognito's messages can quote what was sent. */
function logFailure(context: AppLoadContext, message: string, reason: string, unexpected = false): void {
  context.logger[unexpected ? "warn" : "info"](message, { requestId: context.requestId, reason });
}
