import { useCallback, useState } from "react";

/**
 * Text for a polite live region. Repeating the same words would not be re-announced, so alternate an
 * invisible trailing character to make every call a change.
 */
export function useAnnouncer() {
  const [message, setMessage] = useState("");
  const announce = useCallback((text: string) => {
    setMessage((previous) => (previous === text ? `${text}\u00a0` : text));
  }, []);
  return { message, announce };
}
