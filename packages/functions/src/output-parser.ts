/**
 * Streaming parser for function outputs: lines `###Phase-output###: {"key":"k","value":"v"}` in a
 * command's stdout (a pod's log for KubeTask), read as Kanister reads them (pkg/output/stream.go
 * LogAndParse). Memory stays bounded: text without a marker is dropped as it streams; a marker line
 * is kept only up to the per-value limit.
 */
import { ErrorCodes, QuiesceError, redactHead } from "@quiesce/core";
import { unmarshalOutput } from "./go-json-output.js";
import { goTrimSpace } from "./go-strings.js";

/** The marker Kanister prints before an output's JSON. */
export const PHASE_OUTPUT_MARKER = "###Phase-output###:";

/** Options of {@link PhaseOutputParser}. */
export interface OutputParserOptions {
  /** Largest accepted output value, in bytes (UTF-8); default 1 MiB. */
  maxValueBytes?: number;
  /**
   * `"log"` (default): a pod's log or a command's captured stdout, as Kanister's LogAndParse reads
   * it. `"exec"`: KubeExec's stdout, which Kanister first passes through its log writer
   * (pkg/format LogTo): "\r" also ends a line, and a line without the whole marker is rewritten
   * as a log record, so a marker is never joined across lines.
   */
  mode?: "log" | "exec";
}

const JSON_OVERHEAD = 4096;
// Kanister reads with bufio.NewReaderSize(r, 64k).ReadLine: a longer line comes in pieces of this size.
const PIECE = 64 * 1024;
const MARKER = Buffer.from(PHASE_OUTPUT_MARKER);
const NL = 0x0a;
const CR = 0x0d;
// Shared: an empty pending line is never written to.
const EMPTY = Buffer.alloc(0);

type State =
  | { kind: "log" }
  | { kind: "output"; buf: Buffer[]; size: number }
  | { kind: "suffix"; suffix: Buffer };

/**
 * Parses outputs from chunks as they arrive, with Kanister's rules: a line (split on "\n", "\r\n"
 * dropped, read in 64 KiB pieces) holding the marker carries the JSON after it up to the line's
 * end; a line ending with the start of the marker whose next line starts with the rest counts too;
 * the JSON is decoded as Go decodes it into `{Key, Value string}` (field names in any case, other
 * fields ignored, `null` leaves a field empty, a value that is not a string is an error), with
 * Kanister's `Failed to unmarshal key-value pair: <encoding/json's error>`. The last value of a
 * duplicated key wins. The first problem (`QUIESCE_OUTPUT_MALFORMED`,
 * `QUIESCE_OUTPUT_LIMIT`) is kept in {@link error} and stops parsing.
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
  readonly #maxValueBytes: number;
  readonly #exec: boolean;
  readonly #outputs: Record<string, string> = {};
  // The current line's bytes not yet handed to the state machine (less than one piece).
  #pending: Buffer = EMPTY;
  #state: State = { kind: "log" };
  #error: QuiesceError | undefined;
  #ended = false;

  constructor(options: OutputParserOptions = {}) {
    this.#maxValueBytes = options.maxValueBytes ?? 1024 * 1024;
    this.#exec = options.mode === "exec";
  }

  /** Outputs parsed so far. */
  get outputs(): Record<string, string> {
    return { ...this.#outputs };
  }

  /** The first parse error, if any. */
  get error(): QuiesceError | undefined {
    return this.#error;
  }

  /**
   * Feeds a chunk. Nothing keeps a reference to it once this returns (the unfinished line is
   * copied), so it may be a view of a buffer the caller reuses (`ExecOptions.reuseChunks`).
   */
  write(chunk: Uint8Array | string): void {
    if (this.#error || this.#ended) return;
    const bytes =
      typeof chunk === "string"
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    // Only an unfinished line from the previous chunk is joined: a stream costs no copy per chunk.
    let data = this.#pending.length === 0 ? bytes : Buffer.concat([this.#pending, bytes]);
    for (;;) {
      if (this.#error) return;
      const nl = this.#exec ? lineBreak(data) : data.indexOf(NL);
      if (nl !== -1 && nl < PIECE) {
        let line = data.subarray(0, nl);
        if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, -1);
        this.#line(line, false);
        data = data.subarray(nl + 1);
        continue;
      }
      if (data.length >= PIECE) {
        // A full buffer without a newline: a piece of a longer line (a "\r" before the cut waits for the next piece).
        let piece = data.subarray(0, PIECE);
        if (piece[piece.length - 1] === CR) piece = piece.subarray(0, -1);
        this.#line(piece, true);
        data = data.subarray(piece.length);
        continue;
      }
      this.#pending = data.length === 0 ? EMPTY : Buffer.from(data);
      return;
    }
  }

  /** Signals the end of the stream: a last line without a newline is parsed too. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (!this.#error && this.#pending.length > 0) this.#line(this.#pending, false);
    this.#pending = EMPTY;
  }

  /** Ends the stream and returns the outputs, or throws the parse error. */
  result(): Record<string, string> {
    this.end();
    if (this.#error) throw this.#error;
    return this.outputs;
  }

  // Kanister's splitLines state machine, one ReadLine result at a time.
  #line(line: Buffer, isPrefix: boolean): void {
    if (line.length === 0) return;
    const state = this.#state;
    if (state.kind === "output") {
      this.#accumulate(state, line);
      if (!isPrefix) this.#finish(Buffer.concat(state.buf));
    } else if (state.kind === "suffix" && line.indexOf(state.suffix) === 0) {
      this.#capture(line.subarray(state.suffix.length), isPrefix);
    } else {
      this.#log(line, isPrefix);
    }
  }

  #log(line: Buffer, isPrefix: boolean): void {
    const at = line.indexOf(MARKER);
    if (at === -1) {
      // The marker may be cut by the end of this line: Kanister takes the shortest tail that starts it.
      this.#state = { kind: "log" };
      if (this.#exec) return;
      for (let i = 1; i < MARKER.length && i <= line.length; i++) {
        if (line.subarray(line.length - i).equals(MARKER.subarray(0, i))) {
          this.#state = { kind: "suffix", suffix: MARKER.subarray(i) };
          break;
        }
      }
      return;
    }
    this.#capture(line.subarray(at + MARKER.length), isPrefix);
  }

  #capture(content: Buffer, isPrefix: boolean): void {
    if (!isPrefix) {
      this.#state = { kind: "log" };
      this.#finish(content);
      return;
    }
    const state: State = { kind: "output", buf: [], size: 0 };
    this.#state = state;
    this.#accumulate(state, content);
  }

  #accumulate(state: Extract<State, { kind: "output" }>, bytes: Buffer): void {
    state.size += bytes.length;
    if (state.size > this.#maxValueBytes + JSON_OVERHEAD) {
      this.#fail(
        ErrorCodes.OUTPUT_LIMIT,
        `a phase output line exceeds the limit of ${this.#maxValueBytes} bytes per value`,
      );
      return;
    }
    state.buf.push(Buffer.from(bytes));
  }

  #finish(bytes: Buffer): void {
    this.#state = { kind: "log" };
    const content = trimmed(bytes);
    if (content.length === 0) return;
    let decoded: { key: string; value: string };
    try {
      decoded = unmarshalOutput(content);
    } catch (err) {
      // Kanister pkg/output/output.go UnmarshalOutput: errkit.Wrap(err, "Failed to unmarshal key-value pair").
      this.#fail(
        ErrorCodes.OUTPUT_MALFORMED,
        `Failed to unmarshal key-value pair: ${(err as Error).message}`,
        err,
        { line: `${PHASE_OUTPUT_MARKER} ${preview(content.toString("utf8"))}` },
      );
      return;
    }
    if (Buffer.byteLength(decoded.value, "utf8") > this.#maxValueBytes) {
      this.#fail(
        ErrorCodes.OUTPUT_LIMIT,
        `phase output "${decoded.key}" exceeds the limit of ${this.#maxValueBytes} bytes`,
      );
      return;
    }
    this.#outputs[decoded.key] = decoded.value;
  }

  #fail(code: string, message: string, cause?: unknown, details?: Record<string, unknown>): void {
    this.#error = new QuiesceError(code as `QUIESCE_${string}`, message, {
      ...(cause === undefined ? {} : { cause }),
      ...(details === undefined ? {} : { details }),
    });
    this.#state = { kind: "log" };
    this.#pending = EMPTY;
  }
}

/** The first "\r" or "\n" (Kanister's log writer splits on both), or -1. */
function lineBreak(data: Buffer): number {
  const nl = data.indexOf(NL);
  const cr = data.indexOf(CR);
  return nl === -1 ? cr : cr === -1 ? nl : Math.min(nl, cr);
}

// Go's bytes.TrimSpace (stream.go LogAndParse trims the JSON before decoding it).
function trimmed(bytes: Buffer): Buffer {
  const first = bytes[0] ?? 0;
  const last = bytes[bytes.length - 1] ?? 0;
  if (first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80) return bytes;
  return Buffer.from(goTrimSpace(bytes.toString("utf8")), "utf8");
}

/** Parses every output in a complete text (e.g. a log tail); throws on a malformed line. */
export function parsePhaseOutputs(text: string, options: OutputParserOptions = {}): Record<string, string> {
  if (typeof text !== "string" && !((text as unknown) instanceof Uint8Array)) {
    const got = text === null ? "null" : Array.isArray(text) ? "a list" : typeof text;
    throw new QuiesceError(ErrorCodes.OUTPUT_MALFORMED, `phase output must be text, got ${got}`);
  }
  const parser = new PhaseOutputParser(options);
  parser.write(text);
  return parser.result();
}

function preview(text: string): string {
  return redactHead(text, 120, "…");
}

/**
 * A malformed-output error with the caller's words in front, as errkit.Wrap puts them (Kanister's
 * PrepareData and RestoreData: "Failed to parse phase output"); code and details are kept.
 */
export function wrapOutputError(err: QuiesceError, context: string): QuiesceError {
  return new QuiesceError(err.code, `${context}: ${err.message}`, { cause: err, details: err.details });
}
