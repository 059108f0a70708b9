import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import type { SidebarHandle } from "./Sidebar";

/**
 * The history drawer on small screens. Opening it focuses New chat; closing it returns focus to the menu
 * button, while hiding it (a conversation was picked) leaves focus to whoever picked.
 */
export function useDrawer(sidebar: RefObject<SidebarHandle>) {
  const [open, setOpen] = useState(false);
  const menuButtonFocus = useRef(false);
  const openDrawer = useCallback(() => {
    setOpen(true);
    requestAnimationFrame(() => sidebar.current?.focusNewChat());
  }, [sidebar]);
  const closeDrawer = useCallback(() => {
    setOpen(false);
    menuButtonFocus.current = true;
  }, []);
  const hideDrawer = useCallback(() => setOpen(false), []);
  useEffect(() => {
    if (!open && menuButtonFocus.current) {
      menuButtonFocus.current = false;
      document.querySelector<HTMLButtonElement>(".menu-button")?.focus();
    }
  }, [open]);
  return { open, openDrawer, closeDrawer, hideDrawer };
}
