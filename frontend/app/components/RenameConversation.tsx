import { useRef } from "react";

interface Props {
  title: string;
  /** Enter: save, and focus returns to the item. */
  onSave: (title: string) => void;
  /** Esc: keep the old name. */
  onCancel: () => void;
  /** Focus moved elsewhere (a click, Tab): save, and leave focus where the user put it. */
  onLeave: (title: string) => void;
}

/** The inline rename field of a history entry. */
export function RenameConversation({ title, onSave, onCancel, onLeave }: Props) {
  // Set once rename ends by Enter or Esc, so the blur that follows unmounting does not save again.
  const done = useRef(false);
  return (
    <li className="conversation editing">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const input = event.currentTarget.elements.namedItem("title") as HTMLInputElement;
          done.current = true;
          onSave(input.value);
        }}
      >
        <input
          name="title"
          aria-label="Conversation name"
          defaultValue={title}
          maxLength={120}
          // The user just asked to rename this item, so focus belongs here.
          autoFocus
          onFocus={(event) => event.currentTarget.select()}
          onKeyDown={(event) => {
            if (event.key !== "Escape") return;
            event.preventDefault();
            done.current = true;
            onCancel();
          }}
          onBlur={(event) => {
            if (done.current) return;
            done.current = true;
            onLeave(event.currentTarget.value);
          }}
        />
      </form>
    </li>
  );
}
