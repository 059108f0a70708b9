// Server-Sent Events over an Express response: headers that stop proxies from buffering,
// one JSON `data:` line per event, a heartbeat comment so idle connections stay open behind
// the load balancer, and backpressure so a slow client slows reading from upstream.

import type { Response } from "express";

function format(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class SseStream {
  private heartbeat: NodeJS.Timeout | undefined;
  private corked = false;

  constructor(
    private readonly res: Response,
    private readonly heartbeatIntervalMs: number,
  ) {}

  /**
   * Sends the headers at once, together with the first event when one is given (one packet
   * instead of two: the first event is usually ready right away).
   */
  open(first?: { event: string; data: unknown }): void {
    const { res } = this;
    res.status(200);
    res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
    // no-transform keeps compressing proxies from holding events back.
    res.setHeader("Cache-Control", "no-cache, no-transform");
    // nginx (and some other proxies) buffer responses unless told not to.
    res.setHeader("X-Accel-Buffering", "no");
    if (first) res.write(format(first.event, first.data));
    else res.flushHeaders();
    this.heartbeat = setInterval(() => {
      if (this.writable) this.write(": heartbeat\n\n");
    }, this.heartbeatIntervalMs);
    res.once("close", () => this.stopHeartbeat());
  }

  get writable(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  /** Writes one event; resolves once the socket can take more, or at once if it is gone. */
  async send(event: string, data: unknown): Promise<void> {
    if (!this.writable) return;
    if (this.write(format(event, data))) return;
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

  /**
   * Events that arrive together (several upstream chunks in one read, common under load) leave
   * in one write: the socket is corked until the event loop moves on. Each write is a system
   * call, and on a busy server those dominate the cost of relaying a stream.
   */
  private write(text: string): boolean {
    if (!this.corked) {
      this.corked = true;
      this.res.cork();
      setImmediate(() => {
        this.corked = false;
        if (this.writable) this.res.uncork();
      });
    }
    return this.res.write(text);
  }

  /** Ends the stream, with a last event in the same write when one is given. */
  end(last?: { event: string; data: unknown }): void {
    this.stopHeartbeat();
    if (!this.writable) return;
    if (last) this.res.end(format(last.event, last.data));
    else this.res.end();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
