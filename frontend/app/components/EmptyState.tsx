const SUGGESTIONS = [
  "Explain AWS Fargate in two sentences",
  "Write a haiku about containers",
  "Show a TypeScript function that debounces a callback",
];

/** First screen of a new conversation: says what to do and offers a few one-click starters. */
export function EmptyState({ onPick, disabled }: { onPick: (text: string) => void; disabled: boolean }) {
  return (
    <div className="empty-state">
      <h2>What can I help with?</h2>
      <p>
        Type a message below and press <kbd>Enter</kbd> to send. <kbd>Shift</kbd>+<kbd>Enter</kbd> starts a
        new line, <kbd>Esc</kbd> stops a reply.
      </p>
      <ul className="suggestions" aria-label="Suggestions">
        {SUGGESTIONS.map((text) => (
          <li key={text}>
            <button type="button" className="suggestion" onClick={() => onPick(text)} disabled={disabled}>
              {text}
            </button>
          </li>
        ))}
      </ul>
      <p className="privacy-note">Conversations are saved in this browser only.</p>
    </div>
  );
}
