/**
 * One TLS context for every exec connection of a cluster connection. Node builds a new
 * SecureContext for each `tls.connect` that is given only `ca`/`cert`/`key` — parsing the CA,
 * loading the key, setting the cipher list: about a third of a resumed TLS handshake's client CPU,
 * paid again by every exec (every exec is a new WebSocket connection). A context built once and
 * passed as `secureContext` is reused instead; it is rebuilt when the credentials change (a rotated
 * client certificate or CA file).
 */
import { createHash } from "node:crypto";
import { createSecureContext, type SecureContext, type SecureContextOptions } from "node:tls";

// The connection options that go into a SecureContext (tls.createSecureContext's own list).
const CONTEXT_FIELDS = [
  "ca",
  "cert",
  "key",
  "pfx",
  "passphrase",
  "ciphers",
  "ecdhCurve",
  "honorCipherOrder",
  "crl",
  "dhparam",
  "secureOptions",
  "secureProtocol",
  "sessionIdContext",
  "minVersion",
  "maxVersion",
  "sigalgs",
  "privateKeyEngine",
  "privateKeyIdentifier",
  "clientCertEngine",
] as const;

function fingerprint(options: Readonly<Record<string, unknown>>): string {
  const hash = createHash("sha256");
  for (const field of CONTEXT_FIELDS) {
    const value = options[field];
    hash.update(`${field}\0`);
    if (value === undefined) continue;
    for (const part of Array.isArray(value) ? value : [value]) {
      if (Buffer.isBuffer(part) || typeof part === "string") hash.update(part);
      else hash.update(JSON.stringify(part) ?? "");
      hash.update("\0");
    }
  }
  return hash.digest("hex");
}

/** Caches the SecureContext for the current TLS settings. */
export class SharedSecureContext {
  private current: { fingerprint: string; context: SecureContext } | undefined;

  /** The context for these connection options: the cached one while they are unchanged. */
  for(options: Readonly<Record<string, unknown>>): SecureContext {
    const print = fingerprint(options);
    if (this.current?.fingerprint !== print) {
      const settings: Record<string, unknown> = {};
      for (const field of CONTEXT_FIELDS) if (options[field] !== undefined) settings[field] = options[field];
      this.current = { fingerprint: print, context: createSecureContext(settings as SecureContextOptions) };
    }
    return this.current.context;
  }
}
