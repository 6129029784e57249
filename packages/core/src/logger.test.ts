import { Console } from "node:console";
import { PassThrough } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { fieldsFirst, isFieldsFirst, noopLogger, toLogger } from "./logger.js";
import { registerSecret } from "./redact.js";

/** A stream that keeps what is written to it. */
function sink() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  return { stream, text: () => text };
}

describe("the logger port", () => {
  it("fits pino: the fields become properties of the JSON line and the message its msg", () => {
    const out = sink();
    const logger = toLogger(pino({ level: "debug", base: null, timestamp: false }, out.stream));
    logger.warn("phase freeze failed", { phase: "freeze", exitCode: 3 });
    logger.debug("watch re-opened");
    const lines = out
      .text()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { level: 40, phase: "freeze", exitCode: 3, msg: "phase freeze failed" },
      { level: 20, msg: "watch re-opened" },
    ]);
  });

  it("fits console-style loggers: message first, the fields after it, nothing trailing without fields", () => {
    const out = sink();
    const logger = toLogger(new Console({ stdout: out.stream, stderr: out.stream }));
    logger.info("hook succeeded", { hook: "thaw", attempts: 2 });
    logger.error("hook failed");
    expect(out.text()).toBe("hook succeeded { hook: 'thaw', attempts: 2 }\nhook failed\n");
  });

  it("recognises pino loggers and their children, and adapts other fields-first ones on request", () => {
    expect(isFieldsFirst(pino({ enabled: false }))).toBe(true);
    expect(isFieldsFirst(pino({ enabled: false }).child({ component: "quiesce" }))).toBe(true);
    expect(isFieldsFirst(console)).toBe(false);
    const calls: unknown[][] = [];
    const own = {
      debug: (...a: unknown[]) => calls.push(a),
      info: (...a: unknown[]) => calls.push(a),
      warn: (...a: unknown[]) => calls.push(a),
      error: (...a: unknown[]) => calls.push(a),
    };
    fieldsFirst(own).info("started", { pod: "db-0" });
    fieldsFirst(own).info("no fields");
    expect(calls).toEqual([
      [{ pod: "db-0" }, "started"],
      [{}, "no fields"],
    ]);
  });

  it("is the no-op logger when none is given, and adapts a logger once", () => {
    expect(toLogger(undefined)).toBe(noopLogger);
    const port = toLogger(console);
    expect(toLogger(console)).toBe(port);
    expect(toLogger(port)).toBe(port);
  });

  it("redacts registered secrets from messages and fields, in any form, on both argument orders", () => {
    const secret = `pa"ss w0rd`;
    const undo = registerSecret(secret);
    try {
      const out = sink();
      const pinoPort = toLogger(pino({ level: "debug", base: null, timestamp: false }, out.stream));
      pinoPort.warn(`exec ${JSON.stringify(["mysql", `-p${secret}`])} failed`, {
        command: ["mysql", `-p${secret}`],
        url: `https://db/?pw=${encodeURIComponent(secret)}`,
        nested: { auth: Buffer.from(`root:${secret}`).toString("base64") },
        attempts: 2,
      });
      const console = sink();
      toLogger(new Console({ stdout: console.stream, stderr: console.stream })).error(`login ${secret}`, {
        why: `'${secret.replaceAll("'", "'\\''")}'`,
      });
      const written = out.text() + console.text();
      expect(written).not.toContain("ss w0rd");
      expect(written).not.toContain("ss%20w0rd");
      expect(written).not.toContain(Buffer.from(`root:${secret}`).toString("base64").slice(8));
      expect(JSON.parse(out.text())).toEqual({
        level: 40,
        msg: 'exec ["mysql","-p[REDACTED]"] failed',
        command: ["mysql", "-p[REDACTED]"],
        url: "https://db/?pw=[REDACTED]",
        nested: { auth: expect.stringContaining("[REDACTED]") },
        attempts: 2,
      });
      expect(console.text()).toContain("login [REDACTED]");
    } finally {
      undo();
    }
  });
});
