import { forwardRef, useEffect, useImperativeHandle, useRef, useState, type KeyboardEvent } from "react";
import { SendIcon, StopIcon } from "./icons";

export interface ComposerHandle {
  focus: () => void;
}

interface Props {
  streaming: boolean;
  /** Nothing can be sent (today's budget is used up); `note` says why. */
  disabled: boolean;
  /** Under the box: what is left of today's budget, or why the box is off. */
  note: string;
  onSend: (text: string) => boolean;
  onStop: () => void;
}

const MAX_HEIGHT_PX = 200;

/**
 * The message box. Enter sends, Shift+Enter adds a line (and IME composition is respected). While a reply
 * streams the same button becomes Stop, so keyboard focus stays put when it changes back.
 */
export const Composer = forwardRef<ComposerHandle, Props>(function Composer(
  { streaming, disabled, note, onSend, onStop },
  handle,
) {
  const [text, setText] = useState("");
  const ref = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(handle, () => ({ focus: () => ref.current?.focus() }), []);

  // Grow with the content up to a limit, then scroll.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const submit = (): void => {
    if (streaming || disabled) return;
    if (onSend(text)) setText("");
    ref.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  const empty = text.trim() === "";
  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="composer-box">
        <label htmlFor="composer-input" className="sr-only">
          Message
        </label>
        <textarea
          id="composer-input"
          ref={ref}
          rows={1}
          value={text}
          placeholder={disabled ? "Sending is paused until the budget resets" : "Message the assistant…"}
          aria-describedby={note ? "composer-hint budget-note" : "composer-hint"}
          disabled={disabled}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        {streaming ? (
          <button
            key="action"
            type="button"
            className="composer-button stop"
            onClick={onStop}
            aria-label="Stop reply"
          >
            <StopIcon />
          </button>
        ) : (
          <button
            key="action"
            type="submit"
            className="composer-button"
            aria-label="Send message"
            aria-disabled={empty || disabled}
          >
            <SendIcon />
          </button>
        )}
      </div>
      <p id="composer-hint" className="composer-hint">
        <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line · <kbd>Esc</kbd> to stop
      </p>
      {note ? (
        <p id="budget-note" className="budget-note" data-testid="budget-note">
          {note}
        </p>
      ) : null}
    </form>
  );
});
