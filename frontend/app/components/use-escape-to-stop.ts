import { useEffect } from "react";

/** Esc stops a streaming reply from anywhere, unless a control used Esc for itself (rename, edit, drawer). */
export function useEscapeToStop(streaming: boolean, stop: () => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === "Escape" && streaming && !event.defaultPrevented) {
        event.preventDefault();
        stop();
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [streaming, stop]);
}
