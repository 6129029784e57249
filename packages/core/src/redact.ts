/** Secret redaction: values registered as secret never appear in errors, events or logs. */

const REDACTED = "[REDACTED]";
// Secrets shorter than this are not redacted: scrubbing "a" or "1" would mangle every message.
const MIN_SECRET_LENGTH = 4;

const registry = new Map<string, number>();

/**
 * Registers a secret value so that {@link redactText} (and so every QuiesceError, event and log
 * line quiesce produces) replaces it with `[REDACTED]`. Returns an undo function.
 *
 * Registration is reference-counted: registering the same value twice needs two undos.
 */
export function registerSecret(value: string): () => void {
  if (value.length < MIN_SECRET_LENGTH) return () => {};
  registry.set(value, (registry.get(value) ?? 0) + 1);
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    const n = (registry.get(value) ?? 1) - 1;
    if (n <= 0) registry.delete(value);
    else registry.set(value, n);
  };
}

/** Replaces every registered secret, and every value in `extra`, by `[REDACTED]`. */
export function redactText(text: string, extra: readonly string[] = []): string {
  if (registry.size === 0 && extra.length === 0) return text;
  let out = text;
  // Longest first, so a secret that contains another is scrubbed whole.
  const all = [...registry.keys(), ...extra.filter((s) => s.length >= MIN_SECRET_LENGTH)].sort(
    (a, b) => b.length - a.length,
  );
  for (const secret of all) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
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
