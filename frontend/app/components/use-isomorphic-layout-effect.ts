import { useEffect, useLayoutEffect } from "react";

/** useLayoutEffect in the browser; useEffect on the server, where layout effects never run and warn. */
export const useIsomorphicLayoutEffect = typeof window === "undefined" ? useEffect : useLayoutEffect;
