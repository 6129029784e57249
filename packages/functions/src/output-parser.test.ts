import { QuiesceError } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { PHASE_OUTPUT_MARKER, PhaseOutputParser, parsePhaseOutputs } from "./output-parser.js";

const line = (key: string, value: string) => `${PHASE_OUTPUT_MARKER} ${JSON.stringify({ key, value })}\n`;

describe("PhaseOutputParser", () => {
  it("keeps no reference to a chunk: the writer may reuse its buffer at once (reuseChunks)", () => {
    const parser = new PhaseOutputParser();
    const reused = Buffer.alloc(64);
    const feed = (text: string) => {
      reused.fill(0x78);
      const n = reused.write(text);
      parser.write(reused.subarray(0, n));
    };
    feed('noise\n###Phase-output###: {"key":"a","val');
    feed('ue":"1"}\nmore ###Phase-out');
    feed('put###: {"key":"b","value":"2"}\n');
    expect(parser.result()).toEqual({ a: "1", b: "2" });
  });

  it("parses kando-style lines among log noise; the last duplicate wins", () => {
    const text = `starting\n${line("path", "/a")}progress 50%\n${line("path", "/b")}${line("size", "42")}done`;
    expect(parsePhaseOutputs(text)).toEqual({ path: "/b", size: "42" });
  });

  it("finds a marker in the middle of a line and a last line without newline", () => {
    expect(
      parsePhaseOutputs(`+ kando output x 1\nprefix ${PHASE_OUTPUT_MARKER}{"key":"x","value":"1"}`),
    ).toEqual({ x: "1" });
  });

  it("handles a marker split across chunks at every position", () => {
    const text = `noise ${line("k", "v")}`;
    for (let cut = 1; cut < text.length; cut++) {
      const p = new PhaseOutputParser();
      p.write(text.slice(0, cut));
      p.write(text.slice(cut));
      expect(p.result()).toEqual({ k: "v" });
    }
  });

  it("decodes multi-byte characters split across byte chunks", () => {
    const bytes = new TextEncoder().encode(line("name", "naïve ☃"));
    const p = new PhaseOutputParser();
    for (const b of bytes) p.write(new Uint8Array([b]));
    expect(p.result()).toEqual({ name: "naïve ☃" });
  });

  it("drops huge lines without a marker without keeping them", () => {
    const p = new PhaseOutputParser({ maxValueBytes: 64 });
    for (let i = 0; i < 1000; i++) p.write("x".repeat(10_000));
    p.write(`\n${line("k", "v")}`);
    expect(p.result()).toEqual({ k: "v" });
  });

  it("accepts a value longer than any chunk, up to the limit", () => {
    const value = "y".repeat(200_000);
    const text = line("big", value);
    const p = new PhaseOutputParser({ maxValueBytes: 300_000 });
    for (let i = 0; i < text.length; i += 1000) p.write(text.slice(i, i + 1000));
    expect(p.result().big).toHaveLength(200_000);
  });

  it("fails with QUIESCE_OUTPUT_LIMIT when a value exceeds the limit", () => {
    const p = new PhaseOutputParser({ maxValueBytes: 100 });
    p.write(line("big", "z".repeat(50_000)));
    expect(p.error?.code).toBe("QUIESCE_OUTPUT_LIMIT");
    expect(() => p.result()).toThrowError(/limit of 100 bytes/);
  });

  it("fails with QUIESCE_OUTPUT_MALFORMED on bad JSON after the marker", () => {
    // Kanister pkg/output/output.go UnmarshalOutput: "Failed to unmarshal key-value pair: <Go's error>".
    try {
      parsePhaseOutputs(`${PHASE_OUTPUT_MARKER} {"key": "k", "value": \n`);
      expect.unreachable();
    } catch (err) {
      expect(QuiesceError.is(err, "QUIESCE_OUTPUT_MALFORMED")).toBe(true);
      expect((err as QuiesceError).message).toBe(
        "Failed to unmarshal key-value pair: unexpected end of JSON input",
      );
      expect((err as QuiesceError).details.line).toBe(`${PHASE_OUTPUT_MARKER} {"key": "k", "value":`);
    }
    expect(() => parsePhaseOutputs(`${PHASE_OUTPUT_MARKER} {"key":"k","value":3}\n`)).toThrowError(
      "Failed to unmarshal key-value pair: json: cannot unmarshal number into Go struct field Output.value of type string",
    );
  });

  it("ignores an empty marker line", () => {
    expect(parsePhaseOutputs(`${PHASE_OUTPUT_MARKER}   \nok\n`)).toEqual({});
  });

  // Kanister pkg/output/stream.go checkSplitSeparator: a line ending with the start of the marker
  // (the shortest such tail) continues on the next line when that one starts with the rest.
  it("joins a marker cut by a newline as Kanister does: only at the shortest tail that starts it", () => {
    expect(parsePhaseOutputs(`noise#\n##Phase-output###: {"key":"a","value":"1"}\n`)).toEqual({ a: "1" });
    // Empty lines are skipped without forgetting the cut marker.
    expect(parsePhaseOutputs(`noise###Pha\n\nse-output###: {"key":"b","value":"2"}\n`)).toEqual({ b: "2" });
    // "noise##" ends with "#" already: the next line must start with "##Phase-output###:".
    expect(parsePhaseOutputs(`noise##\n#Phase-output###: {"key":"c","value":"3"}\n`)).toEqual({});
  });

  // Go's json.Unmarshal into output.Output{Key, Value string}.
  it("decodes the JSON as Go does: any case, other fields ignored, null empty", () => {
    expect(parsePhaseOutputs(`${PHASE_OUTPUT_MARKER} {"Key":"a","VALUE":"1","extra":[1]}\n`)).toEqual({
      a: "1",
    });
    expect(parsePhaseOutputs(`${PHASE_OUTPUT_MARKER} {"key":"b"}\n`)).toEqual({ b: "" });
    expect(parsePhaseOutputs(`${PHASE_OUTPUT_MARKER} {"key":"c","value":null}\r\n`)).toEqual({ c: "" });
    expect(parsePhaseOutputs(`${PHASE_OUTPUT_MARKER} null\n`)).toEqual({ "": "" });
    expect(() => parsePhaseOutputs(`${PHASE_OUTPUT_MARKER} ["k","v"]\n`)).toThrowError(
      /cannot unmarshal array/,
    );
    expect(() => parsePhaseOutputs(`${PHASE_OUTPUT_MARKER} {"key":"k"} trailing\n`)).toThrowError(
      "invalid character 't' after top-level value",
    );
    // bytes.TrimSpace: Unicode white space around the JSON is not part of it; U+FEFF is.
    expect(parsePhaseOutputs(`${PHASE_OUTPUT_MARKER}\u00a0{"key":"d","value":"4"}\u2003\n`)).toEqual({
      d: "4",
    });
    expect(() => parsePhaseOutputs(`${PHASE_OUTPUT_MARKER} \ufeff{"key":"e"}\n`)).toThrowError(
      "invalid character '\u00ef' looking for beginning of value",
    );
  });

  it("reads a line longer than Kanister's 64 KiB buffer in pieces, finding a marker at a piece's start", () => {
    const filler = "x".repeat(64 * 1024);
    expect(parsePhaseOutputs(`${filler}${PHASE_OUTPUT_MARKER} {"key":"k","value":"v"}\n`)).toEqual({
      k: "v",
    });
  });

  // Kanister pkg/function/kube_exec.go: stdout goes through pkg/format's Writer (LogTo splits on [\r\n]).
  it("reads KubeExec's stdout with \\r ending a line and no marker joined across lines", () => {
    const exec = (text: string) => {
      const p = new PhaseOutputParser({ mode: "exec" });
      p.write(text);
      return p.result();
    };
    expect(exec(`${PHASE_OUTPUT_MARKER} {"key":"a","value":"1"}\rprogress 100%\n`)).toEqual({ a: "1" });
    expect(exec(`noise#\n##Phase-output###: {"key":"b","value":"2"}\n`)).toEqual({});
    expect(() =>
      parsePhaseOutputs(`${PHASE_OUTPUT_MARKER} {"key":"a","value":"1"}\rprogress\n`),
    ).toThrowError(/^Failed to unmarshal key-value pair: invalid character 'p' after top-level value$/);
  });
});
