import { createContext, useContext } from "react";

/** Carries the per-request CSP nonce from entry.server to <Scripts>. Empty in the browser, which hides it. */
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
