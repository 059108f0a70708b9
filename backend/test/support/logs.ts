// Captures the backend's JSON log lines in memory.

import { Writable } from "node:stream";

export class LogCapture extends Writable {
  readonly lines: string[] = [];

  constructor() {
    super({ decodeStrings: false });
  }

  override _write(chunk: unknown, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    // winston's stream transport writes one info object or string per line.
    const text =
      typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : String(chunk);
    for (const line of text.split("\n")) if (line.trim() !== "") this.lines.push(line);
    cb();
  }

  /** Everything logged so far, as one string (for "never appears" checks). */
  text(): string {
    return this.lines.join("\n");
  }

  entries(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  find(predicate: (e: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
    return this.entries().find(predicate);
  }
}
