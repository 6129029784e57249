/** sprig's symmetric crypto helpers: encryptAES/decryptAES (AES-256-CBC, PKCS#7, IV first) and randBytes. */

import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { FuncMap } from "../functions.js";
import { GoFuncError } from "../go/call-error.js";
import { argInt, argString, checkSize } from "./args.js";
import { decodeBase } from "./encodings.js";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** sprig's key: the password's bytes, truncated or zero-padded to 32. */
function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password).copy(key, 0, 0, 32);
  return key;
}

function encryptAES(password: unknown, plaintext: unknown): string {
  const key = aesKey(argString(password));
  const text = argString(plaintext);
  if (text === "") return "";
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  return Buffer.concat([iv, cipher.update(text), cipher.final()]).toString("base64");
}

function decryptAES(password: unknown, crypt64: unknown): string {
  const key = aesKey(argString(password));
  const text = argString(crypt64);
  if (text === "") return "";
  const crypt = decodeBase(text, B64, 6, "base64");
  if (typeof crypt === "string") throw new GoFuncError(crypt);
  if (crypt.length < 16)
    throw new GoFuncError(`runtime error: slice bounds out of range [:16] with capacity ${crypt.length}`);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new GoFuncError("crypto/cipher: input not full blocks");
  const decipher = createDecipheriv("aes-256-cbc", key, crypt.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(body), decipher.final()]);
  if (plain.length === 0) throw new GoFuncError("runtime error: index out of range [-1]");
  // sprig strips as many bytes as the last one says, without checking the padding.
  const cut = plain.length - (plain[plain.length - 1] ?? 0);
  if (cut < 0) throw new GoFuncError(`runtime error: slice bounds out of range [:${cut}]`);
  return plain.subarray(0, cut).toString("utf8");
}

/** The crypto family of sprig's function map (key and certificate generators are not provided). */
export const cryptoFunctions: FuncMap = {
  encryptAES,
  decryptAES,
  randBytes: (count) => {
    const n = Math.max(0, argInt(count));
    checkSize("randBytes", n);
    return randomBytes(n).toString("base64");
  },
};
