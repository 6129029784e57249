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
 * `message [CODE]` of a serialized error, then its causes' first lines when they add something;
 * client-node `ApiException` causes are left out (the error above them already says what the
 * server answered).
 */
export function describeSerialized(error: SerializedError, causeIndent = "  caused by: "): string {
  let text = `${firstLine(error.message)}${error.code ? ` [${error.code}]` : ""}`;
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

/** `HTTP-Code: 404\nMessage: …\nBody: {"message": …}\nHeaders: …` → `HTTP 404: <Status message>`. */
function apiDumpLine(message: string): string {
  const code = /^HTTP-Code: (\d+)/.exec(message)?.[1] ?? "?";
  const body = /\nBody: (.*)/.exec(message)?.[1];
  let why: string | undefined;
  try {
    const parsed: unknown = body === undefined ? undefined : JSON.parse(body);
    const inner = typeof parsed === "string" ? (JSON.parse(parsed) as unknown) : parsed;
    const m = (inner as { message?: unknown } | null)?.message;
    if (typeof m === "string") why = m;
  } catch {
    why = undefined;
  }
  return `the Kubernetes API answered HTTP ${code}${why ? `: ${why}` : ""}`;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
