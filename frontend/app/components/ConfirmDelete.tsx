import { useEffect, useRef } from "react";

interface Props {
  title: string;
  onDelete: () => void;
  onCancel: () => void;
}

/** The inline "Delete …?" confirmation of a history entry; Cancel takes focus, Esc cancels. */
export function ConfirmDelete({ title, onDelete, onCancel }: Props) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <li
      className="conversation confirming"
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        event.preventDefault();
        onCancel();
      }}
    >
      <span className="confirm-text">Delete “{title}”?</span>
      <span className="confirm-actions">
        <button type="button" className="danger small" onClick={onDelete}>
          Delete
        </button>
        <button ref={cancelRef} type="button" className="ghost small" onClick={onCancel}>
          Cancel
        </button>
      </span>
    </li>
  );
}
