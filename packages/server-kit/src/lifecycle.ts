// Shared state for graceful shutdown: whether the server is draining, and the streams still
// running, so shutdown can wait for them and, at the deadline, end them with an error event.

export interface TrackedStream {
  /** Ends the stream early, telling the client why. */
  abort(reason: "shutdown"): void;
}

export class Lifecycle {
  private drainingFlag = false;
  private readonly streams = new Set<TrackedStream>();
  private readonly idleWaiters = new Set<() => void>();

  get draining(): boolean {
    return this.drainingFlag;
  }

  get activeStreams(): number {
    return this.streams.size;
  }

  startDraining(): void {
    this.drainingFlag = true;
  }

  /** Registers a running stream; call the returned function when it ends. */
  track(stream: TrackedStream): () => void {
    this.streams.add(stream);
    return () => {
      this.streams.delete(stream);
      if (this.streams.size === 0) for (const wake of this.idleWaiters) wake();
    };
  }

  /** Resolves true when no stream is running, or false once `timeoutMs` has passed. */
  waitForStreams(timeoutMs: number): Promise<boolean> {
    if (this.streams.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (idle: boolean): void => {
        clearTimeout(timer);
        this.idleWaiters.delete(onIdle);
        resolve(idle);
      };
      const onIdle = (): void => finish(true);
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.idleWaiters.add(onIdle);
    });
  }

  abortAll(): void {
    for (const s of this.streams) s.abort("shutdown");
  }
}
