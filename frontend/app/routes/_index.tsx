import { ChatApp } from "../components/ChatApp";

/** The chat. Conversations live in the browser, so the server renders the shell without calling the backend. */
export default function Index() {
  return (
    <>
      <ChatApp />
      <noscript>
        <p className="noscript">This chat needs JavaScript to stream replies. Please enable it and reload.</p>
      </noscript>
    </>
  );
}
