import { useCallback, useRef } from "react";
import { useIsomorphicLayoutEffect } from "./use-isomorphic-layout-effect";

/**
 * Keeps a scroll container pinned to its end while content grows, unless the reader scrolled up to read
 * something earlier. A new `resetKey` (another conversation, a newly sent message) jumps back to the end.
 */
export function useStickToBottom<T extends HTMLElement>(contentKey: unknown, resetKey: unknown) {
  const ref = useRef<T>(null);
  const stuck = useRef(true);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (el) stuck.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  }, []);

  useIsomorphicLayoutEffect(() => {
    stuck.current = true;
  }, [resetKey]);

  useIsomorphicLayoutEffect(() => {
    const el = ref.current;
    if (el && stuck.current) el.scrollTop = el.scrollHeight;
  }, [contentKey, resetKey]);

  return { ref, onScroll };
}
