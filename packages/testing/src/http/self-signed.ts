/**
 * A throwaway self-signed certificate for the local API server's TLS mode (ECDSA P-256, valid for
 * 127.0.0.1 and localhost), built with node:crypto and a few lines of DER — kubectl only sends
 * credentials over TLS, so serving HTTPS is what lets it authenticate with the bearer token.
 */
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.of(tag), length(body.length), body]);
}

const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);
const bool = (v: boolean) => tlv(0x01, Buffer.of(v ? 0xff : 0));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.of(unused), b);
const explicit = (n: number, c: Buffer) => tlv(0xa0 + n, c);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));

/**
 * A DER INTEGER of the unsigned big-endian `b`, in the minimal form DER requires: leading zero bytes
 * dropped (OpenSSL refuses them as "illegal padding"), one zero byte added when the top bit is set.
 */
export function integer(b: Buffer): Buffer {
  let start = 0;
  while (start < b.length - 1 && b[start] === 0) start++;
  const v = b.subarray(start);
  return tlv(0x02, v.length === 0 ? Buffer.of(0) : (v[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.of(0), v]) : v);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const out = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = p >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, "0");
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, "ascii"));
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString("base64").replace(/(.{64})/g, "$1\n");
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith("\n") ? "" : "\n"}-----END ${label}-----\n`;
}

/** A PEM certificate and its PKCS#8 private key. */
export interface SelfSignedCertificate {
  cert: string;
  key: string;
}

/** Creates a certificate for 127.0.0.1 / localhost, valid from an hour ago for `days` days. */
export function selfSignedCertificate(days = 30): SelfSignedCertificate {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const ecdsaSha256 = seq(oid("1.2.840.10045.4.3.2"));
  const name = seq(set(seq(oid("2.5.4.3"), utf8("quiesce-local"))));
  const now = Date.now();
  const extensions = seq(
    seq(oid("2.5.29.19"), bool(true), octets(seq(bool(true)))), // basicConstraints: CA (it is its own root)
    seq(oid("2.5.29.15"), bool(true), octets(bits(Buffer.of(0x84), 2))), // keyUsage: digitalSignature, keyCertSign
    seq(oid("2.5.29.37"), octets(seq(oid("1.3.6.1.5.5.7.3.1")))), // extKeyUsage: serverAuth
    seq(
      oid("2.5.29.17"),
      octets(seq(tlv(0x87, Buffer.of(127, 0, 0, 1)), tlv(0x82, Buffer.from("localhost")))),
    ),
  );
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f; // a positive serial
  const tbs = seq(
    explicit(0, integer(Buffer.of(2))),
    integer(serial),
    ecdsaSha256,
    name,
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + days * 86_400_000))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(3, extensions),
  );
  const signature = sign("sha256", tbs, privateKey);
  const certificate = seq(tbs, ecdsaSha256, bits(signature));
  return {
    cert: pem("CERTIFICATE", certificate),
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}
