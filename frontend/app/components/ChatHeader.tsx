import type { ReactNode } from "react";
import { MenuIcon } from "./icons";

interface Props {
  title: string;
  drawerOpen: boolean;
  onOpenDrawer: () => void;
  children: ReactNode;
}

export function ChatHeader({ title, drawerOpen, onOpenDrawer, children }: Props) {
  return (
    <header className="chat-header">
      <button
        type="button"
        className="ghost icon menu-button"
        aria-label="Show conversations"
        aria-expanded={drawerOpen}
        aria-controls="sidebar"
        onClick={onOpenDrawer}
      >
        <MenuIcon />
      </button>
      <h1 className="chat-title">{title}</h1>
      {children}
    </header>
  );
}
