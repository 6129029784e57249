import { Console } from "node:console";
import { PassThrough } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { fieldsFirst, isFieldsFirst, noopLogger, toLogger } from "./logger.js";

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
});
