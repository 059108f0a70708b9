import { useRouteLoaderData } from "@remix-run/react";
import { ChatApp } from "../components/ChatApp";
import type { loader as signedInLoader } from "./_app";

/** The chat. Conversations live in the browser, so the server renders the shell without calling the backend. */
export default function Index() {
  const email = useRouteLoaderData<typeof signedInLoader>("routes/_app")?.email ?? "";
  return (
    <>
      <ChatApp email={email} />
      <noscript>
        <p className="noscript">This chat needs JavaScript to stream replies. Please enable it and reload.</p>
      </noscript>
    </>
  );
}
