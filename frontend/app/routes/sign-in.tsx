import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { safeNextPath } from "../auth/next-path";
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
          <NewPasswordForm
            key="new-password"
            email={result?.email ?? ""}
            error={result?.error}
            next={next}
            submitting={submitting}
          />
        ) : (
          <PasswordForm
            key="password"
            email={result?.email ?? ""}
            error={result?.error}
            next={next}
            submitting={submitting}
          />
        )}
      </div>
    </main>
  );
}

interface FormProps {
  email: string;
  error: string | undefined;
  next: string;
  submitting: boolean;
}

function PasswordForm({ email, error, next, submitting }: FormProps) {
  return (
    <>
      <h1>Sign in</h1>
      <p className="auth-lead">Use the account an administrator created for you.</p>
      <Form method="post" className="auth-form" aria-describedby={error ? "sign-in-error" : undefined}>
        <input type="hidden" name="intent" value="password" />
        <input type="hidden" name="next" value={next} />
        <ErrorMessage error={error} />
        <label htmlFor="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          defaultValue={email}
          required
          autoFocus
        />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" className="primary" disabled={submitting}>
          {submitting ? "Signing in…" : "Sign in"}
        </button>
      </Form>
    </>
  );
}

function NewPasswordForm({ email, error, next, submitting }: FormProps) {
  return (
    <>
      <h1>Choose a new password</h1>
      <p className="auth-lead">
        {email ? <>You signed in to {email} with a temporary password. </> : null}
        Choose the password you will use from now on.
      </p>
      <Form method="post" className="auth-form" aria-describedby={error ? "sign-in-error" : undefined}>
        <input type="hidden" name="intent" value="new-password" />
        <input type="hidden" name="next" value={next} />
        {/* Lets password managers file the new password under the right account. */}
        <input type="hidden" name="username" autoComplete="username" value={email} />
        <ErrorMessage error={error} />
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
        <button type="submit" className="primary" disabled={submitting}>
          {submitting ? "Saving…" : "Set password and sign in"}
        </button>
      </Form>
    </>
  );
}

/** Announced when it appears, and focused so keyboard and screen reader users land on it. */
function ErrorMessage({ error }: { error: string | undefined }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  return (
    <p id="sign-in-error" className="auth-error" role="alert" tabIndex={-1} ref={ref}>
      {error}
    </p>
  );
}
