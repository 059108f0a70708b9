// Server-Sent Events over an Express response: headers that stop proxies from buffering,
// one JSON `data:` line per event, a heartbeat comment so idle connections stay open behind
// the load balancer, and backpressure so a slow client slows reading from upstream.

import type { Response } from "express";

export class SseStream {
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: Response,
    private readonly heartbeatIntervalMs: number,
  ) {}

  open(): void {
    const { res } = this;
    res.status(200);
    res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
    // no-transform keeps compressing proxies from holding events back.
    res.setHeader("Cache-Control", "no-cache, no-transform");
    // nginx (and some other proxies) buffer responses unless told not to.
    res.setHeader("X-Accel-Buffering", "no");
    res.flushHeaders();
    this.heartbeat = setInterval(() => {
      if (this.writable) res.write(": heartbeat\n\n");
    }, this.heartbeatIntervalMs);
    res.once("close", () => this.stopHeartbeat());
  }

  get writable(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  /** Writes one event; resolves once the socket can take more, or at once if it is gone. */
  async send(event: string, data: unknown): Promise<void> {
    if (!this.writable) return;
    if (this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.res.off("drain", done);
        this.res.off("close", done);
        resolve();
      };
      this.res.on("drain", done);
      this.res.on("close", done);
    });
  }

  end(): void {
    this.stopHeartbeat();
    if (this.writable) this.res.end();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
