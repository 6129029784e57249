/** Errors as the CLI prints them: one line with the code; no HTTP dumps, no stack traces. */
import { QuiesceError, type SerializedError } from "@quiesce/core";

/**
 * The message with its code on the first line. quiesce's own errors may carry more lines that
 * belong to them (a YAML excerpt, one line per schema issue); anything else is cut to its first
 * line, and a client-node `ApiException` (whose message dumps the body and the HTTP headers) is
 * reduced to its status.
 */
export function describeError(err: unknown): string {
  if (err instanceof QuiesceError) {
    const [first, ...rest] = err.message.split("\n");
    return [`${first} [${err.code}]`, ...rest].join("\n");
  }
  if (err instanceof Error) return isApiDump(err.message) ? apiDumpLine(err.message) : firstLine(err.message);
  return firstLine(String(err));
}

/**
 * `message [CODE]` of a serialized error — a quiesce error's further lines (an exec error's stdout
 * and stderr tails) follow, indented — then its causes' first lines when they add something;
 * client-node `ApiException` causes are left out (the error above them already says what the
 * server answered).
 */
export function describeSerialized(error: SerializedError, causeIndent = "  caused by: "): string {
  const [first = "", ...rest] = error.message.split("\n");
  let text = `${first}${error.code ? ` [${error.code}]` : ""}`;
  if (error.code) for (const line of rest) text += `\n${" ".repeat(causeIndent.length)}${line}`;
  let cause = error.cause;
  for (let depth = 0; cause && depth < 3; depth++, cause = cause.cause) {
    if (cause.name === "ApiException" || isApiDump(cause.message)) continue;
    const line = firstLine(cause.message);
    if (!text.includes(line)) text += `\n${causeIndent}${line}`;
  }
  return text;
}

function isApiDump(message: string): boolean {
  return message.startsWith("HTTP-Code: ");
}

/** What a client-node ApiException dump says the server answered: the code and its Status. */
interface ApiAnswer {
  statusCode: number | undefined;
  reason: string | undefined;
  message: string | undefined;
}

/** Reads `HTTP-Code: 404\nMessage: …\nBody: {"kind":"Status",…}\nHeaders: …`. */
function apiAnswer(dump: string): ApiAnswer {
  const code = /^HTTP-Code: (\d+)/.exec(dump)?.[1];
  const body = /\nBody: (.*)/.exec(dump)?.[1];
  let status: Record<string, unknown> = {};
  try {
    const parsed: unknown = body === undefined ? undefined : JSON.parse(body);
    const inner: unknown = typeof parsed === "string" ? JSON.parse(parsed) : parsed;
    if (inner !== null && typeof inner === "object") status = inner as Record<string, unknown>;
  } catch {
    status = {};
  }
  return {
    statusCode: code === undefined ? undefined : Number(code),
    reason: typeof status.reason === "string" ? status.reason : undefined,
    message: typeof status.message === "string" ? status.message : undefined,
  };
}

/** `HTTP-Code: 404\nMessage: …\nBody: {"message": …}\nHeaders: …` → `HTTP 404: <Status message>`. */
function apiDumpLine(message: string): string {
  const answer = apiAnswer(message);
  return `the Kubernetes API answered HTTP ${answer.statusCode ?? "?"}${answer.message ? `: ${answer.message}` : ""}`;
}

/**
 * A result for `-o json|yaml` with every serialized client-node ApiException (a cause whose
 * message dumps the response body and the HTTP headers) reduced to what the server said: one
 * line, and `details` with the status code and the Status `reason` and `message`.
 */
export function withoutApiDumps(value: unknown, depth = 0): unknown {
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => withoutApiDumps(v, depth + 1));
  const o = value as Record<string, unknown>;
  if (typeof o.name === "string" && typeof o.message === "string" && isApiDump(o.message)) {
    const answer = apiAnswer(o.message);
    const details: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(answer)) if (v !== undefined) details[k] = v;
    return { name: o.name, message: apiDumpLine(o.message), details };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = withoutApiDumps(v, depth + 1);
  return out;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
