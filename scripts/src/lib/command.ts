/**
 * What every command does the same way: its command line (options, --help, usage errors) and how it ends
 * (the exit code, and a failure as one "error: ..." line without a stack trace).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A failure the user can act on: printed as "error: <message>", without a stack trace. */
export class UsageError extends Error {}

export interface Usage {
  /** What parse errors end with. */
  text: string;
  /** What --help prints (default: the usage text). */
  help?: string;
  /** Between a parse error's message and the usage text. */
  separator: ". " | "\n";
  /** The parse error as the user reads it (default: its message). */
  describe?: (error: Error & { code?: string }) => string;
}

type Options = NonNullable<ParseArgsConfig["options"]>;
/** The parsed values of `options`, typed by their declarations. */
type Values<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
>["values"];

/**
 * Parses process.argv (or `args`) strictly, without positionals; -h/--help prints the help and exits 0, any
 * other mistake is a UsageError ending with the usage text.
 */
export function parseCommandLine<T extends Options>(
  options: T,
  usage: Usage,
  args = process.argv.slice(2),
): Values<T> {
  let values: Values<T> & { help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }) as { values: Values<T> & { help?: boolean } });
  } catch (error) {
    const message = usage.describe ? usage.describe(error as Error) : (error as Error).message;
    throw new UsageError(`${message}${usage.separator}${usage.text}`);
  }
  if (values.help) {
    console.log(usage.help ?? usage.text);
    process.exit(0);
  }
  return values;
}

export interface Ending {
  /** Exit code of a usage error (default 2; drift keeps 1, as `plan -detailed-exitcode` does). */
  usageExitCode?: number;
  /** Prefixes a failure with its error name when it has its own (an AWS SDK exception, say). */
  errorNames?: boolean;
}

/** Prints a failure as "error: <message>" and returns the exit code it ends the command with. */
export function reportError(error: unknown, ending: Ending = {}): number {
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}`);
    return ending.usageExitCode ?? 2;
  }
  const name = error instanceof Error && ending.errorNames && error.name !== "Error" ? `${error.name}: ` : "";
  console.error(`error: ${name}${error instanceof Error ? error.message : String(error)}`);
  return 1;
}

/** Entry point of a command: exits with the code it returns (default 0), or reports its failure. */
export function runCommand(program: () => Promise<number | void>, ending: Ending = {}): void {
  program().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => process.exit(reportError(error, ending)),
  );
}
