import { flatRoutes } from "@remix-run/fs-routes";
import type { RouteConfig } from "@remix-run/route-config";

/** v3_routeConfig: routes are declared here (same file as React Router 7), still using file-system naming. */
export default flatRoutes() satisfies RouteConfig;
