import { DomainError } from '../domain/errors.js';

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  color: boolean;
  verbose: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Human output to stdout (unless --quiet), or exactly one JSON document with --json. */
export class Output {
  constructor(private readonly o: OutputOptions) {}

  get json(): boolean {
    return this.o.json;
  }

  /** Prints the result: `value` as JSON with --json, else the human lines. */
  result(value: unknown, human: () => string | string[]): void {
    if (this.o.json) {
      this.o.stdout.write(JSON.stringify(value, null, 2) + '\n');
      return;
    }
    if (this.o.quiet) return;
    const text = human();
    const lines = Array.isArray(text) ? text : [text];
    if (lines.length > 0) this.o.stdout.write(lines.join('\n') + '\n');
  }

  /** One JSON object per line with --json (streams), else a human line. */
  line(value: unknown, human: () => string): void {
    if (this.o.json) this.o.stdout.write(JSON.stringify(value) + '\n');
    else if (!this.o.quiet) this.o.stdout.write(human() + '\n');
  }

  paint(text: string, colour: 'green' | 'red' | 'dim' | 'bold'): string {
    if (!this.o.color || !(this.o.stdout as NodeJS.WriteStream).isTTY) return text;
    const codes = { green: [32, 39], red: [31, 39], dim: [2, 22], bold: [1, 22] }[colour];
    return `\u001b[${codes[0]}m${text}\u001b[${codes[1]}m`;
  }

  /** Maps an error to `error: …` and the exit status: 1 for invalid input or a refusal, 2 for a failure. */
  error(err: unknown): number {
    const domain = err instanceof DomainError ? err : null;
    const code = domain?.code ?? errnoCode(err) ?? 'INTERNAL';
    const message = domain?.message ?? describeUnexpected(err);
    if (this.o.json) {
      this.o.stdout.write(JSON.stringify({ error: { code, message, ...(domain?.context ?? {}) } }, null, 2) + '\n');
    } else {
      this.o.stderr.write(`error: ${message}\n`);
    }
    if (this.o.verbose && err instanceof Error && err.stack) this.o.stderr.write(err.stack + '\n');
    return domain?.kind === 'user' ? 1 : 2;
  }
}

function errnoCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeUnexpected(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return `permission denied: ${e.path ?? e.message}`;
  if (e?.code === 'ENOSPC' || e?.code === 'SQLITE_FULL') return `the disk is full: ${e.message}; free some space and retry`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Text from the user or the disk (a name, a path) as a terminal may show it: control characters (a newline, an escape
 * sequence that would recolour or rewrite the screen) written as escapes, the rest as it is.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => CONTROL_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const CONTROL_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `n` and the noun for it: "1 group", "2 groups"; `plural` where adding an s is wrong. */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
