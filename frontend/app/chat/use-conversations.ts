import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { conversationsReducer } from "./conversations";
import {
  conversationsKeyFor,
  loadActiveId,
  loadConversations,
  saveActiveId,
  saveConversations,
} from "./storage";

/**
 * The signed-in person's conversations, kept in localStorage under their own key: loaded after hydration (the
 * server cannot see them), saved on every change, and refreshed when another tab changes them.
 */
export function useConversations(email: string) {
  const key = conversationsKeyFor(email);
  const [state, dispatch] = useReducer(conversationsReducer, { conversations: [], activeId: null });
  const [loaded, setLoaded] = useState(false);
  const [saveFailed, setSaveFailed] = useState(false);
  const fromOtherTab = useRef(false);

  useEffect(() => {
    const conversations = loadConversations(localStorage, key);
    const activeId = loadActiveId();
    dispatch({
      type: "load",
      conversations,
      activeId: conversations.some((c) => c.id === activeId) ? activeId : null,
    });
    setLoaded(true);
    const onStorage = (event: StorageEvent): void => {
      if (event.key !== key) return;
      fromOtherTab.current = true;
      dispatch({ type: "replaceAll", conversations: loadConversations(localStorage, key) });
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, [key]);

  useEffect(() => {
    if (!loaded) return;
    // Writing back what another tab just wrote would be redundant.
    if (fromOtherTab.current) {
      fromOtherTab.current = false;
      return;
    }
    setSaveFailed(!saveConversations(state.conversations, localStorage, key));
  }, [loaded, key, state.conversations]);

  useEffect(() => {
    if (loaded) saveActiveId(state.activeId);
  }, [loaded, state.activeId]);

  const active = state.conversations.find((c) => c.id === state.activeId) ?? null;
  const dismissSaveError = useCallback(() => setSaveFailed(false), []);
  return { ...state, active, loaded, dispatch, saveFailed, dismissSaveError };
}
