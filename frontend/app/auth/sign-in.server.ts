import { type AppLoadContext, data, redirect } from "@remix-run/node";
import {
  clearChallenge,
  commitChallenge,
  readChallenge,
  type ChallengeStep,
  type PendingChallenge,
} from "./challenge-cookie.server";
import {
  cognitoErrorName,
  setNewPassword,
  signInWithPassword,
  type NewPasswordResult,
  type SignInResult,
} from "./cognito.server";
import { answerMfaCode, finishMfaSetup, normalizeCode, startMfaSetup } from "./mfa.server";
import { safeNextPath } from "./next-path";
import { commitSession } from "./session-cookie.server";
import {
  mfaStepProblem,
  newPasswordStepProblem,
  passwordStepProblem,
  START_AGAIN,
  type SignInProblem,
} from "./sign-in-errors.server";

/** What the sign-in page shows after a post that did not sign the person in. */
export interface SignInStep {
  step: "password" | ChallengeStep;
  email: string;
  error?: string;
  /** mfa-setup only: the key to add to an authenticator app (it has to be shown to be typed in). */
  secretCode?: string;
}

const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/**
 * Handles every step of the sign-in form. Passwords and codes are never logged, echoed or put back into the
 * page; the challenge between steps lives in the encrypted `sign-in` cookie.
 */
export async function handleSignIn(request: Request, context: AppLoadContext) {
  const form = await request.formData();
  const next = safeNextPath(text(form, "next"));
  const intent = text(form, "intent");
  if (intent === "new-password") return newPasswordStep(request, context, form, next);
  if (intent === "mfa-setup" || intent === "mfa-code") return mfaStep(request, context, form, next, intent);
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
  return proceed(request, context, result, email, next);
}

async function newPasswordStep(request: Request, context: AppLoadContext, form: FormData, next: string) {
  const challenge = await readChallenge(request, context.auth.sessionSecret);
  if (challenge?.step !== "new-password") {
    return restart(request, "", "That took too long. Sign in again with your temporary password.");
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
    if (problem.restart) return restart(request, email, problem.message);
    return data<SignInStep>({ step: "new-password", email, error: problem.message }, 400);
  }
  return proceed(request, context, result, email, next);
}

/** The code from the authenticator: the first one (setting it up) or one at a later sign-in. */
async function mfaStep(
  request: Request,
  context: AppLoadContext,
  form: FormData,
  next: string,
  step: "mfa-setup" | "mfa-code",
) {
  const challenge = await readChallenge(request, context.auth.sessionSecret);
  if (challenge?.step !== step) return restart(request, challenge?.email ?? "", START_AGAIN);
  const again = (error: string) => data<SignInStep>(pageFor(challenge, error), 400);
  const code = normalizeCode(text(form, "code"));
  if (!code) return again("Enter the 6-digit code from your authenticator app.");
  let result: NewPasswordResult;
  try {
    result =
      step === "mfa-setup"
        ? await finishMfaSetup(context.auth, challenge, code)
        : await answerMfaCode(context.auth, challenge, code);
  } catch (err) {
    const reason = cognitoErrorName(err);
    const problem: SignInProblem = mfaStepProblem(reason);
    logFailure(context, `${step} refused`, reason, problem.unexpected);
    if (problem.restart) return restart(request, challenge.email, problem.message);
    return again(problem.message);
  }
  return proceed(request, context, result, challenge.email, next);
}

/** Signs in, or sets up the next challenge's cookie and shows its form. */
async function proceed(
  request: Request,
  context: AppLoadContext,
  result: SignInResult,
  email: string,
  next: string,
) {
  if (result.kind === "signed-in" || result.kind === "unsupported-challenge") {
    return finish(request, context, result, email, next);
  }
  let challenge: PendingChallenge;
  if (result.kind === "mfa-setup") {
    try {
      const setup = await startMfaSetup(context.auth, result);
      challenge = { step: "mfa-setup", username: result.username, email, ...setup };
    } catch (err) {
      const reason = cognitoErrorName(err);
      const problem = mfaStepProblem(reason);
      logFailure(context, "authenticator setup refused", reason, problem.unexpected);
      return restart(request, email, problem.restart ? START_AGAIN : problem.message);
    }
  } else {
    const step = result.kind === "new-password-required" ? "new-password" : "mfa-code";
    challenge = { step, challengeSession: result.challengeSession, username: result.username, email };
  }
  return data<SignInStep>(pageFor(challenge), {
    headers: { "Set-Cookie": await commitChallenge(request, challenge, context.auth.sessionSecret) },
  });
}

/** The form for a pending challenge; never its session. */
function pageFor(challenge: PendingChallenge, error?: string): SignInStep {
  return {
    step: challenge.step,
    email: challenge.email,
    ...(error ? { error } : {}),
    ...(challenge.step === "mfa-setup" && challenge.secretCode ? { secretCode: challenge.secretCode } : {}),
  };
}

/** Back to the email and password, the challenge gone. */
function restart(request: Request, email: string, error: string) {
  return data<SignInStep>(
    { step: "password", email, error },
    { status: 400, headers: { "Set-Cookie": clearChallenge(request) } },
  );
}

async function finish(
  request: Request,
  context: AppLoadContext,
  result: NewPasswordResult,
  email: string,
  next: string,
) {
  if (result.kind !== "signed-in") {
    const challenge = result.kind === "unsupported-challenge" ? result.challenge : result.kind;
    logFailure(context, "sign-in needs an unsupported challenge", challenge);
    return restart(
      request,
      email,
      "This account needs a sign-in step this app doesn't support (such as SMS codes). Ask an administrator.",
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
