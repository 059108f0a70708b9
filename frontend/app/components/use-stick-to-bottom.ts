import { useCallback, useEffect, useLayoutEffect, useRef } from "react";

// useLayoutEffect warns during server rendering; the scroll position only matters in the browser.
const useIsomorphicLayoutEffect = typeof window === "undefined" ? useEffect : useLayoutEffect;

/**
 * Keeps a scroll container pinned to its end while content grows, unless the reader scrolled up to read
 * something earlier. `resetKey` (e.g. the conversation id) jumps back to the end.
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

  const pin = useCallback(() => {
    stuck.current = true;
  }, []);

  return { ref, onScroll, pin };
}
