import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { forwardRef, type ReactNode, useEffect, useRef } from "react";
import { safeNextPath } from "../auth/next-path";
import { groupedSecret, otpauthUri } from "../auth/totp-setup";
import { loadSession } from "../auth/session.server";
import { handleSignIn, type SignInStep } from "../auth/sign-in.server";

export const meta: MetaFunction = () => [{ title: "Sign in · fargate-ai-stack" }];

/** Someone already signed in goes straight on. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const state = await loadSession(request, context);
  const headers = new Headers();
  if (state.setCookie) headers.append("Set-Cookie", state.setCookie);
  if (state.signedIn)
    throw redirect(safeNextPath(new URL(request.url).searchParams.get("next")), { headers });
  return data(null, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  return handleSignIn(request, context);
}

export default function SignIn() {
  const result = useActionData<typeof action>() as SignInStep | undefined;
  const [params] = useSearchParams();
  const next = safeNextPath(params.get("next"));
  const submitting = useNavigation().state === "submitting";
  const step = result?.step ?? "password";

  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand auth-brand">
          <span className="brand-mark" aria-hidden="true" />
          fargate-ai-stack
        </p>
        {step === "new-password" ? (
          <NewPasswordForm key="new-password" result={result} next={next} submitting={submitting} />
        ) : step === "mfa-setup" ? (
          <MfaSetupForm key="mfa-setup" result={result} next={next} submitting={submitting} />
        ) : step === "mfa-code" ? (
          <MfaCodeForm key="mfa-code" result={result} next={next} submitting={submitting} />
        ) : (
          <PasswordForm key="password" result={result} next={next} submitting={submitting} />
        )}
      </div>
    </main>
  );
}

interface FormProps {
  /** The last answer to this form, if any: each one is a new object, even with the same error. */
  result: SignInStep | undefined;
  next: string;
  submitting: boolean;
}

/**
 * After a refused attempt: empty the password and code fields (a wrong one stays on screen otherwise, since the
 * form is not reloaded) and move focus to the message so it is read out.
 */
function useAfterRefusal(result: SignInStep | undefined) {
  const form = useRef<HTMLFormElement>(null);
  const message = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (!result?.error) return;
    form.current
      ?.querySelectorAll<HTMLInputElement>("input[type=password], input[name=code]")
      .forEach((input) => {
        input.value = "";
      });
    message.current?.focus();
  }, [result]);
  return { form, message };
}

/**
 * One step's form: which step it answers (`intent`), where to go afterwards, and the refusal message, which is
 * announced and focused while the step's password or code fields are emptied.
 */
function StepForm({
  intent,
  result,
  next,
  children,
}: {
  intent: string;
  result: SignInStep | undefined;
  next: string;
  children: ReactNode;
}) {
  const { form, message } = useAfterRefusal(result);
  const error = result?.error;
  return (
    <Form
      ref={form}
      method="post"
      className="auth-form"
      aria-describedby={error ? "sign-in-error" : undefined}
    >
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="next" value={next} />
      <ErrorMessage error={error} ref={message} />
      {children}
    </Form>
  );
}

function SubmitButton({ submitting, busy, label }: { submitting: boolean; busy: string; label: string }) {
  return (
    <button type="submit" className="primary" disabled={submitting}>
      {submitting ? busy : label}
    </button>
  );
}

function PasswordForm({ result, next, submitting }: FormProps) {
  return (
    <>
      <h1>Sign in</h1>
      <p className="auth-lead">Use the account an administrator created for you.</p>
      <StepForm intent="password" result={result} next={next}>
        <label htmlFor="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          defaultValue={result?.email ?? ""}
          required
          autoFocus
        />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <SubmitButton submitting={submitting} busy="Signing in…" label="Sign in" />
      </StepForm>
    </>
  );
}

function NewPasswordForm({ result, next, submitting }: FormProps) {
  const email = result?.email ?? "";
  return (
    <>
      <h1>Choose a new password</h1>
      <p className="auth-lead">
        {email ? <>You signed in as {email} with a temporary password. </> : null}
        Choose the password you will use from now on.
      </p>
      <StepForm intent="new-password" result={result} next={next}>
        {/* Lets password managers file the new password under the right account. */}
        <input type="hidden" name="username" autoComplete="username" value={email} />
        <label htmlFor="new-password">New password</label>
        <input
          id="new-password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          aria-describedby="new-password-hint"
          required
          autoFocus
        />
        <p id="new-password-hint" className="auth-hint">
          Make it long, with upper- and lower-case letters, numbers and symbols. If the account's password
          policy refuses it, you will see why.
        </p>
        <label htmlFor="confirm-password">Confirm new password</label>
        <input
          id="confirm-password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
        />
        <SubmitButton submitting={submitting} busy="Saving…" label="Set password and sign in" />
      </StepForm>
    </>
  );
}

/** The 6-digit code field of both MFA steps: numeric keyboard, and phones offer a code they can fill in. */
function CodeField({ autoFocus }: { autoFocus: boolean }) {
  return (
    <>
      <label htmlFor="code">6-digit code</label>
      <input
        id="code"
        name="code"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 ]*"
        maxLength={7}
        aria-describedby="code-hint"
        required
        autoFocus={autoFocus}
      />
      <p id="code-hint" className="auth-hint">
        The code your authenticator app shows for fargate-ai-stack; it changes every 30 seconds.
      </p>
    </>
  );
}

function MfaSetupForm({ result, next, submitting }: FormProps) {
  const { email = "", error, secretCode = "" } = result ?? {};
  return (
    <>
      <h1>Set up your authenticator app</h1>
      <p className="auth-lead">
        This account needs a code from an authenticator app (such as Google Authenticator, Microsoft
        Authenticator or 1Password) each time you sign in.
      </p>
      <ol className="auth-steps">
        <li>
          In the app, add an account and enter this setup key (time-based):
          <code id="setup-key" className="auth-secret">
            {groupedSecret(secretCode)}
          </code>
          or, on this device,{" "}
          <a href={otpauthUri(email, secretCode)}>open the key in your authenticator app</a>.
        </li>
        <li>Enter the 6-digit code the app then shows.</li>
      </ol>
      <StepForm intent="mfa-setup" result={result} next={next}>
        <CodeField autoFocus={!error} />
        <SubmitButton submitting={submitting} busy="Checking…" label="Verify and sign in" />
      </StepForm>
    </>
  );
}

function MfaCodeForm({ result, next, submitting }: FormProps) {
  const { email = "", error } = result ?? {};
  return (
    <>
      <h1>Enter your code</h1>
      <p className="auth-lead">
        {email ? <>Signing in as {email}. </> : null}
        Open your authenticator app and enter the code it shows for fargate-ai-stack.
      </p>
      <StepForm intent="mfa-code" result={result} next={next}>
        <CodeField autoFocus={!error} />
        <SubmitButton submitting={submitting} busy="Checking…" label="Sign in" />
      </StepForm>
    </>
  );
}

/** An alert, so it is announced when it appears; focusable, so focus can be moved to it. */
const ErrorMessage = forwardRef<HTMLParagraphElement, { error: string | undefined }>(function ErrorMessage(
  { error },
  ref,
) {
  if (!error) return null;
  return (
    <p id="sign-in-error" className="auth-error" role="alert" tabIndex={-1} ref={ref}>
      {error}
    </p>
  );
});
