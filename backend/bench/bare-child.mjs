// The yardstick for /healthz: a bare Express app with the same route and nothing else,
// run the same way as the backend (plain node, no TypeScript loader).

import process from "node:process";
import express from "express";

const app = express();
app.get("/healthz", (_req, res) => {
  res.json({ status: "ok" });
});
const server = app.listen(Number(process.env.PORT), "127.0.0.1");
server.keepAliveTimeout = 65_000;
process.on("SIGTERM", () => server.close(() => process.exit(0)));
