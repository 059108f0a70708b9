// The backend as production runs it (compiled, `node dist/server.js`), plus an IPC hook that
// reports memory, open file descriptors and active handles to the benchmark.

import { readdirSync } from "node:fs";
import process from "node:process";
import { main } from "../dist/server.js";

function stats() {
  const handles = {};
  for (const name of process.getActiveResourcesInfo()) handles[name] = (handles[name] ?? 0) + 1;
  const mem = process.memoryUsage();
  return {
    rssMB: Math.round((mem.rss / 1024 / 1024) * 10) / 10,
    heapUsedMB: Math.round((mem.heapUsed / 1024 / 1024) * 10) / 10,
    heapTotalMB: Math.round((mem.heapTotal / 1024 / 1024) * 10) / 10,
    externalMB: Math.round((mem.external / 1024 / 1024) * 10) / 10,
    fds: readdirSync("/proc/self/fd").length,
    handles,
  };
}

process.on("message", (msg) => {
  if (msg === "stats") {
    // Measure live memory, not garbage waiting for the next collection.
    globalThis.gc?.();
    process.send?.(stats());
  }
});

await main();
