/**
 * Secret redaction: values registered as secret never appear in errors, events or logs — neither
 * raw nor in the forms a message gives them (JSON-escaped, shell-quoted, URL-encoded, base64,
 * Go's byte-slice printing), nor as a fragment where a text was cut.
 */

const REDACTED = "[REDACTED]";
// Secrets shorter than this are not redacted: scrubbing "a" or "1" would mangle every message.
const MIN_SECRET_LENGTH = 4;
// The shortest fragment of a secret scrubbed where a text was cut.
const MIN_FRAGMENT_LENGTH = 3;

const registry = new Map<string, number>();
const formsCache = new Map<string, readonly string[]>();
let registeredForms: readonly string[] | undefined;

/**
 * Registers a secret value so that {@link redactText} (and so every QuiesceError, event and log
 * line quiesce produces) replaces it — and every form of it, see {@link secretForms} — with
 * `[REDACTED]`. Returns an undo function.
 *
 * Registration is reference-counted: registering the same value twice needs two undos.
 */
export function registerSecret(value: string): () => void {
  if (value.length < MIN_SECRET_LENGTH) return () => {};
  registry.set(value, (registry.get(value) ?? 0) + 1);
  registeredForms = undefined;
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    const n = (registry.get(value) ?? 1) - 1;
    if (n <= 0) {
      registry.delete(value);
      formsCache.delete(value);
    } else registry.set(value, n);
    registeredForms = undefined;
  };
}

/**
 * The forms a secret takes in messages, each redacted like the value itself: raw; JSON-escaped
 * (once and twice, and with Go's `\u003c`-style escapes of `<>&`); shell-quoted (inside `'…'` with
 * `'\''` or `'"'"'`, inside `"…"`, backslash-escaped); URL-encoded (component, form with `+`, URI);
 * base64 and base64url — the part that does not depend on the neighbouring bytes, at each of the
 * three alignments, so the secret is found inside a larger encoded blob too; and the space-separated
 * bytes Go prints for a byte slice (`[104 105]`, how templates print Secret data). Forms shorter
 * than 4 characters are left out.
 *
 * @example
 * ```ts
 * secretForms('pa"ss word'); // ['pa"ss word', 'pa\\"ss word', 'pa%22ss%20word', 'cGEic3Mgd29yZA', …]
 * ```
 */
export function secretForms(secret: string): readonly string[] {
  if (secret.length < MIN_SECRET_LENGTH) return [];
  const cached = formsCache.get(secret);
  if (cached) return cached;
  const forms = new Set<string>([secret]);
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  forms.add(JSON.stringify(json).slice(1, -1));
  forms.add(goJsonEscape(json));
  forms.add(secret.replaceAll("'", "'\\''"));
  forms.add(secret.replaceAll("'", `'"'"'`));
  forms.add(secret.replace(/["\\$`]/g, "\\$&"));
  forms.add(secret.replace(/[^\w@%+=:,./-]/g, "\\$&"));
  const component = encodeURIComponent(secret);
  forms.add(component);
  forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  forms.add(
    component
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replaceAll("%20", "+"),
  );
  forms.add(encodeURI(secret));
  const bytes = Buffer.from(secret, "utf8");
  for (const core of base64Cores(bytes)) {
    forms.add(core);
    forms.add(core.replaceAll("+", "-").replaceAll("/", "_"));
  }
  forms.add([...bytes].join(" "));
  const out = [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
  if (registry.has(secret)) formsCache.set(secret, out);
  return out;
}

/** Go's encoding/json escapes `<`, `>`, `&`, U+2028 and U+2029 (templates' `toJson`). */
function goJsonEscape(json: string): string {
  return json
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

/**
 * The base64 characters fully determined by the secret's own bytes when it starts at byte offset
 * 0, 1 or 2 of a group: whatever surrounds it in a larger encoded blob, these appear as they are.
 */
function base64Cores(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString("base64");
    const start = Math.ceil((8 * k) / 6);
    const end = Math.floor((8 * (k + bytes.length)) / 6);
    if (end > start) cores.push(encoded.slice(start, end));
  }
  return cores;
}

/** Where a text was cut before it reached {@link redactText}, so fragments of a secret can be there. */
export interface CutEdges {
  /** The text's beginning was dropped (a tail buffer): a secret's end may open it. */
  cutAtStart?: boolean | undefined;
  /** The text's end was dropped (a head kept): a secret's beginning may close it. */
  cutAtEnd?: boolean | undefined;
}

// Longest first, so a form that contains another is scrubbed whole.
const byLength = (a: string, b: string) => b.length - a.length;

function allForms(extra: readonly string[]): readonly string[] {
  registeredForms ??= [...new Set([...registry.keys()].flatMap((s) => secretForms(s)))].sort(byLength);
  const wanted = extra.filter((s) => s.length >= MIN_SECRET_LENGTH);
  if (wanted.length === 0) return registeredForms;
  return [...new Set([...registeredForms, ...wanted.flatMap((s) => secretForms(s))])].sort(byLength);
}

/**
 * Replaces every registered secret, and every value in `extra`, in every form it takes (see
 * {@link secretForms}), by `[REDACTED]`. With `edges`, a fragment of at least 3 characters of a
 * form that opens a text cut at its start (or closes one cut at its end) is replaced too.
 *
 * Redact the whole text before cutting it where you can (see {@link redactTail}): a secret
 * straddling a cut is then scrubbed whole.
 */
export function redactText(text: string, extra: readonly string[] = [], edges: CutEdges = {}): string {
  if (registry.size === 0 && extra.length === 0) return text;
  const forms = allForms(extra);
  let out = text;
  for (const form of forms) {
    if (out.includes(form)) out = out.split(form).join(REDACTED);
  }
  if (edges.cutAtStart) out = scrubEdge(out, forms, "start");
  if (edges.cutAtEnd) out = scrubEdge(out, forms, "end");
  return out;
}

function scrubEdge(text: string, forms: readonly string[], edge: "start" | "end"): string {
  let longest = 0;
  for (const form of forms) {
    for (let n = Math.min(form.length - 1, text.length); n >= MIN_FRAGMENT_LENGTH && n > longest; n--) {
      const hit = edge === "start" ? text.startsWith(form.slice(-n)) : text.endsWith(form.slice(0, n));
      if (hit) {
        longest = n;
        break;
      }
    }
  }
  if (longest === 0) return text;
  return edge === "start" ? `${REDACTED}${text.slice(longest)}` : `${text.slice(0, -longest)}${REDACTED}`;
}

/**
 * `value` with {@link redactText} applied to every string in it: in arrays and plain objects, at
 * any depth (a shared or cyclic part is redacted once per path, cut at 64 levels); other objects
 * (class instances, Errors, buffers) are returned as they are.
 */
export function redactValue(value: unknown, extra: readonly string[] = [], depth = 0): unknown {
  if (typeof value === "string") return redactText(value, extra);
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, extra, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, extra, depth + 1);
  return out;
}

/**
 * The last `maxChars` characters of `text`, redacted before it is cut (so a secret straddling the
 * cut is scrubbed whole), with `marker` in front when something was dropped. `edges.cutAtStart`
 * says the text was already cut before (a tail buffer).
 */
export function redactTail(text: string, maxChars: number, marker = "", edges: CutEdges = {}): string {
  const redacted = redactText(text, [], edges);
  return redacted.length > maxChars ? `${marker}${redacted.slice(redacted.length - maxChars)}` : redacted;
}

/** The first `maxChars` characters of `text`, redacted before it is cut, with `marker` after when something was dropped. */
export function redactHead(text: string, maxChars: number, marker = ""): string {
  const redacted = redactText(text);
  return redacted.length > maxChars ? `${redacted.slice(0, maxChars)}${marker}` : redacted;
}

/** Redacts `Authorization`-like header values and `password=`-like pairs in free text. */
export function redactCredentials(text: string): string {
  return redactText(text)
    .replace(
      /(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)([^"'\s,}]+(\s+[^"'\s,}]+)?)/gi,
      `$1$2${REDACTED}`,
    )
    .replace(
      /((?:password|passwd|token|secret|apikey|api_key)["']?\s*[:=]\s*["']?)([^"'\s,&}]+)/gi,
      `$1${REDACTED}`,
    );
}
