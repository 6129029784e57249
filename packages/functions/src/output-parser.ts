/**
 * Streaming parser for function outputs: lines `###Phase-output###: {"key":"k","value":"v"}` in a
 * command's stdout (a pod's log for KubeTask), as Kanister's `kando output` prints them.
 * Memory stays bounded: text without a marker is dropped as it streams; a marker line is kept only
 * up to the per-value limit.
 */
import { ErrorCodes, QuiesceError, redactHead } from "@quiesce/core";

/** The marker Kanister prints before an output's JSON. */
export const PHASE_OUTPUT_MARKER = "###Phase-output###:";

/** Options of {@link PhaseOutputParser}. */
export interface OutputParserOptions {
  /** Largest accepted output value, in bytes (UTF-8); default 1 MiB. */
  maxValueBytes?: number;
}

const JSON_OVERHEAD = 4096;

/**
 * Parses outputs from chunks as they arrive: a marker split across chunks, lines longer than any
 * chunk, and values up to `maxValueBytes`. The last value of a duplicated key wins. The first
 * problem (`QUIESCE_OUTPUT_MALFORMED`, `QUIESCE_OUTPUT_LIMIT`) is kept in {@link error} and stops parsing.
 *
 * @example
 * ```ts
 * const parser = new PhaseOutputParser();
 * parser.write('noise ###Phase-out');
 * parser.write('put###: {"key":"path","value":"/backups/1"}\n');
 * parser.end();
 * parser.outputs; // { path: "/backups/1" }
 * ```
 */
export class PhaseOutputParser {
  readonly #decoder = new TextDecoder();
  readonly #maxValueBytes: number;
  readonly #outputs: Record<string, string> = {};
  // Outside a marker line: at most the marker's length - 1 trailing chars (a marker's possible start).
  // Inside a marker line: the text after the marker so far.
  #pending = "";
  #capturing = false;
  #error: QuiesceError | undefined;
  #ended = false;

  constructor(options: OutputParserOptions = {}) {
    this.#maxValueBytes = options.maxValueBytes ?? 1024 * 1024;
  }

  /** Outputs parsed so far. */
  get outputs(): Record<string, string> {
    return { ...this.#outputs };
  }

  /** The first parse error, if any. */
  get error(): QuiesceError | undefined {
    return this.#error;
  }

  /** Feeds a chunk (bytes are decoded as UTF-8 across chunk boundaries). */
  write(chunk: Uint8Array | string): void {
    if (this.#error || this.#ended) return;
    const text = typeof chunk === "string" ? chunk : this.#decoder.decode(chunk, { stream: true });
    this.#consume(text);
  }

  /** Signals the end of the stream: a last line without a newline is parsed too. */
  end(): void {
    if (this.#ended) return;
    const rest = this.#decoder.decode();
    if (rest) this.#consume(rest);
    this.#ended = true;
    if (!this.#error && this.#capturing) this.#finishLine();
    this.#pending = "";
  }

  /** Ends the stream and returns the outputs, or throws the parse error. */
  result(): Record<string, string> {
    this.end();
    if (this.#error) throw this.#error;
    return this.outputs;
  }

  #consume(text: string): void {
    let start = 0;
    while (start < text.length && !this.#error) {
      const nl = text.indexOf("\n", start);
      const segment = nl === -1 ? text.slice(start) : text.slice(start, nl);
      if (this.#capturing) {
        this.#pending += segment;
        if (this.#pending.length > this.#maxValueBytes + JSON_OVERHEAD) {
          this.#fail(
            ErrorCodes.OUTPUT_LIMIT,
            `a phase output line exceeds the limit of ${this.#maxValueBytes} bytes per value`,
          );
          return;
        }
      } else {
        const line = this.#pending + segment;
        const at = line.indexOf(PHASE_OUTPUT_MARKER);
        if (at !== -1) {
          this.#capturing = true;
          this.#pending = line.slice(at + PHASE_OUTPUT_MARKER.length);
        } else {
          this.#pending = nl === -1 ? markerPrefixTail(line) : "";
        }
      }
      if (nl === -1) return;
      if (this.#capturing) this.#finishLine();
      this.#pending = "";
      start = nl + 1;
    }
  }

  #finishLine(): void {
    const content = this.#pending.trim();
    this.#capturing = false;
    this.#pending = "";
    if (content === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (err) {
      this.#fail(
        ErrorCodes.OUTPUT_MALFORMED,
        `malformed phase output after ${PHASE_OUTPUT_MARKER}: ${preview(content)}`,
        err,
      );
      return;
    }
    const entry = parsed as { key?: unknown; value?: unknown } | null;
    if (
      entry === null ||
      typeof entry !== "object" ||
      typeof entry.key !== "string" ||
      typeof entry.value !== "string"
    ) {
      this.#fail(
        ErrorCodes.OUTPUT_MALFORMED,
        `phase output must be {"key": string, "value": string}, got ${preview(content)}`,
      );
      return;
    }
    if (Buffer.byteLength(entry.value, "utf8") > this.#maxValueBytes) {
      this.#fail(
        ErrorCodes.OUTPUT_LIMIT,
        `phase output "${entry.key}" exceeds the limit of ${this.#maxValueBytes} bytes`,
      );
      return;
    }
    this.#outputs[entry.key] = entry.value;
  }

  #fail(code: string, message: string, cause?: unknown): void {
    this.#error = new QuiesceError(
      code as `QUIESCE_${string}`,
      message,
      cause === undefined ? {} : { cause },
    );
    this.#pending = "";
    this.#capturing = false;
  }
}

/** Parses every output in a complete text (e.g. a log tail); throws on a malformed line. */
export function parsePhaseOutputs(text: string, options: OutputParserOptions = {}): Record<string, string> {
  const parser = new PhaseOutputParser(options);
  parser.write(text);
  return parser.result();
}

/** The longest suffix of `line` that is a proper prefix of the marker (a marker split across chunks). */
function markerPrefixTail(line: string): string {
  const max = Math.min(line.length, PHASE_OUTPUT_MARKER.length - 1);
  for (let n = max; n > 0; n--) {
    if (PHASE_OUTPUT_MARKER.startsWith(line.slice(line.length - n))) return line.slice(line.length - n);
  }
  return "";
}

function preview(text: string): string {
  return redactHead(text, 120, "…");
}
