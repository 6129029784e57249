import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  ErrorCodes,
  QuiesceError,
  redactTail,
  redactText,
  registerSecret,
  secretForms,
  serializeError,
} from "./index.js";

const undos: (() => void)[] = [];
const secret = (value: string) => undos.push(registerSecret(value));
afterEach(() => {
  for (const undo of undos.splice(0)) undo();
});

// A password with everything that escaping changes: quotes, a backslash, a dollar, a space, a newline, <&>.
const NASTY = `p"a's\\s $w<o>&rd\nx`;

describe("redaction in every form a value takes", () => {
  it("scrubs the raw value and its JSON-escaped forms (JSON.stringify of a command, JSON inside JSON, Go's toJson)", () => {
    secret(NASTY);
    const command = ["sh", "-c", `mysql -p${NASTY}`];
    const err = new QuiesceError(ErrorCodes.TIMEOUT, `exec ${JSON.stringify(command)} timed out`);
    expect(err.message).toBe('exec ["sh","-c","mysql -p[REDACTED]"] timed out');
    const twice = JSON.stringify({ message: JSON.stringify({ password: NASTY }) });
    expect(redactText(twice)).not.toContain("w<o>");
    expect(redactText(twice)).toContain("[REDACTED]");
    const goJson = JSON.stringify(NASTY)
      .slice(1, -1)
      .replace("<", "\\u003c")
      .replace(">", "\\u003e")
      .replace("&", "\\u0026");
    expect(redactText(`{"pw":"${goJson}"}`)).toBe('{"pw":"[REDACTED]"}');
  });

  it("scrubs shell-quoted forms", () => {
    secret("it's a secret");
    expect(redactText(`sh -c 'echo '\\''it'\\''s a secret'\\'''`)).not.toContain("s a secret");
    expect(redactText(`sh -c 'echo it'\\''s a secret'`)).toBe("sh -c 'echo [REDACTED]'");
    expect(redactText(`sh -c 'echo it'"'"'s a secret'`)).toBe("sh -c 'echo [REDACTED]'");
    expect(redactText(String.raw`echo it\'s\ a\ secret`)).toBe("echo [REDACTED]");
    secret('say "$HOME"');
    expect(redactText(String.raw`sh -c "echo say \"\$HOME\""`)).toBe('sh -c "echo [REDACTED]"');
  });

  it("scrubs URL-encoded forms (component, form with +, URI) and base64 (standard and URL alphabet)", () => {
    secret("p@ss word/+!");
    expect(redactText(`GET /x?pw=${encodeURIComponent("p@ss word/+!")}`)).toBe("GET /x?pw=[REDACTED]");
    expect(redactText(`body ${new URLSearchParams({ pw: "p@ss word/+!" })}`)).toBe("body pw=[REDACTED]");
    expect(redactText(encodeURI("https://h/p@ss word/+!"))).toBe("https://h/[REDACTED]");
    const b64 = Buffer.from("p@ss word/+!").toString("base64");
    expect(redactText(`Authorization: Basic ${b64}`)).toBe("Authorization: Basic [REDACTED]");
    const url = Buffer.from("p@ss word/+!").toString("base64url");
    expect(redactText(`token=${url}`)).toBe("token=[REDACTED]");
  });

  it("finds a secret inside a larger base64 blob whatever its alignment", () => {
    const value = "correct horse battery staple";
    secret(value);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (before, after) => {
        const blob = Buffer.concat([before, Buffer.from(value), after]).toString("base64");
        const redacted = redactText(blob);
        expect(redacted).toContain("[REDACTED]");
        // At most one character on each side encodes bits of the secret next to bits of its neighbours.
        const left = redacted.indexOf("[REDACTED]");
        const right = redacted.length - left - "[REDACTED]".length;
        expect(left).toBeLessThanOrEqual(Math.ceil(((before.length + 1) * 8) / 6));
        expect(right).toBeLessThanOrEqual(Math.ceil(((after.length + 1) * 8) / 6) + 2);
      }),
      { numRuns: 200 },
    );
  });

  it("scrubs the byte slice Go prints for Secret data, and leaves very short secrets alone", () => {
    secret("hunter2");
    expect(redactText("exec [mysql -p[104 117 110 116 101 114 50]] failed")).toBe(
      "exec [mysql -p[[REDACTED]]] failed",
    );
    secret("abc");
    expect(redactText("abc")).toBe("abc");
    expect(secretForms("abc")).toEqual([]);
  });

  it("redacts before cutting: a secret straddling the cut of a tail leaks nothing", () => {
    secret("s3cr3t-t0ken-value");
    const text = `${"x".repeat(100)}token=s3cr3t-t0ken-value and more`;
    // Cut inside the secret: the naive tail would start with "t0ken-value".
    const naive = text.slice(-24);
    expect(redactText(naive)).toContain("t0ken-value");
    expect(redactTail(text, 24, "…")).toBe("…oken=[REDACTED] and more");
    expect(redactTail(text, 24, "…")).not.toContain("t0ken");
  });

  it("scrubs the fragment of a secret that opens (or closes) a text that was cut already", () => {
    secret("s3cr3t-t0ken-value");
    expect(redactText("en-value then output", [], { cutAtStart: true })).toBe("[REDACTED] then output");
    expect(redactText("output then s3cr3t-t", [], { cutAtEnd: true })).toBe("output then [REDACTED]");
    // Without the cut flags nothing but whole forms is touched.
    expect(redactText("en-value then output")).toBe("en-value then output");
  });

  it("redacts causes and details the same way when serialized", () => {
    secret(NASTY);
    const err = new QuiesceError(ErrorCodes.HOOK_FAILED, "hook failed", {
      details: { command: ["sh", "-c", `echo ${JSON.stringify(NASTY)}`] },
      cause: new Error(`curl https://h/?p=${encodeURIComponent(NASTY)} failed`),
    });
    const json = JSON.stringify(serializeError(err));
    for (const form of secretForms(NASTY)) expect(json).not.toContain(form);
  });
});
