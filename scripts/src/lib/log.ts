/**
 * Progress lines: "==> what" and each step with its duration. The operations commands write them to stderr
 * (stdout is for their results); `npm start`'s progress is its output, on stdout.
 */

export interface Progress {
  stream: NodeJS.WriteStream;
  /** Between a step's name and "done in". */
  done: string;
}

export const toStderr: Progress = { stream: process.stderr, done: " done in" };
export const toStdout: Progress = { stream: process.stdout, done: ": done in" };

export function log(message: string, progress: Progress = toStderr): void {
  progress.stream.write(`==> ${message}\n`);
}

export function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

/** Runs one step with its name and duration. */
export async function step<T>(name: string, action: () => Promise<T>, progress = toStderr): Promise<T> {
  const started = Date.now();
  log(`${name} ...`, progress);
  const result = await action();
  log(`${name}${progress.done} ${elapsed(started)}`, progress);
  return result;
}
