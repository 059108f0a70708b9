import { Form } from "@remix-run/react";

/**
 * Who is signed in, and Sign out. A full page post (reloadDocument): signing out drops everything the page
 * holds in memory, including a reply still streaming.
 */
export function Account({ email }: { email: string }) {
  return (
    <Form method="post" action="/sign-out" reloadDocument className="account">
      <span className="account-email" title={email} data-testid="account-email">
        {email}
      </span>
      <button type="submit" className="secondary small">
        Sign out
      </button>
    </Form>
  );
}
