import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeOutput, plainOutput, unmarshalOutput } from "./go-json-output.js";

// Recorded from Go's encoding/json: json.Unmarshal(line, &output.Output{}) (Kanister
// pkg/output/output.go UnmarshalOutput) — the error text, or the key and value it decoded.
const RECORDED: [string, { error: string } | { key: string; value: string }][] = [
  ["{oops", { error: "invalid character 'o' looking for beginning of object key string" }],
  ['{"key":"a"', { error: "unexpected end of JSON input" }],
  ['{"key":"a",}', { error: "invalid character '}' looking for beginning of object key string" }],
  ['{"key" "a"}', { error: "invalid character '\"' after object key" }],
  ['{"key":"a" "value":"b"}', { error: "invalid character '\"' after object key:value pair" }],
  ['{"key":1}', { error: "json: cannot unmarshal number into Go struct field Output.key of type string" }],
  [
    '{"key":"a","value":2}',
    { error: "json: cannot unmarshal number into Go struct field Output.value of type string" },
  ],
  ['{"key":true}', { error: "json: cannot unmarshal bool into Go struct field Output.key of type string" }],
  [
    '{"value":{"x":1}}',
    { error: "json: cannot unmarshal object into Go struct field Output.value of type string" },
  ],
  [
    '{"value":[1]}',
    { error: "json: cannot unmarshal array into Go struct field Output.value of type string" },
  ],
  ['"str"', { error: "json: cannot unmarshal string into Go value of type output.Output" }],
  ["12", { error: "json: cannot unmarshal number into Go value of type output.Output" }],
  ["[1,2]", { error: "json: cannot unmarshal array into Go value of type output.Output" }],
  ["null", { key: "", value: "" }],
  ['{"key":null,"value":"v"}', { key: "", value: "v" }],
  ['{"KEY":"a","Value":"b"}', { key: "a", value: "b" }],
  ['{"key":"a","key":"b"}', { key: "b", value: "" }],
  [
    '{"key":1,"key":"b"}',
    { error: "json: cannot unmarshal number into Go struct field Output.key of type string" },
  ],
  ['{"key":"a"} x', { error: "invalid character 'x' after top-level value" }],
  ['{"key":"a"}}', { error: "invalid character '}' after top-level value" }],
  ["{'key':'a'}", { error: "invalid character '\\'' looking for beginning of object key string" }],
  ['{"key":"a\\x"}', { error: "invalid character 'x' in string escape code" }],
  ['{"key":"\\u12"}', { error: "invalid character '\"' in \\u hexadecimal character escape" }],
  ['{"key":"\\ud800"}', { key: "\ufffd", value: "" }],
  ['{"key":-}', { error: "invalid character '}' in numeric literal" }],
  ['{"key":1.}', { error: "invalid character '}' after decimal point in numeric literal" }],
  ['{"key":1e}', { error: "invalid character '}' in exponent of numeric literal" }],
  ['{"key":tru}', { error: "invalid character '}' in literal true (expecting 'e')" }],
  ['{"key":nul', { error: "invalid character ' ' in literal null (expecting 'l')" }],
  ['{"key":"a\tb"}', { error: "invalid character '\\t' in string literal" }],
  ["\u00e9", { error: "invalid character '\u00c3' looking for beginning of value" }],
  ['{"\u212aey":"k"}', { key: "k", value: "" }],
  ['{"key":"a","other":{"key":"nested"},"value":"v"}', { key: "a", value: "v" }],
  ['{"key":01}', { error: "invalid character '1' after object key:value pair" }],
  ["key=value", { error: "invalid character 'k' looking for beginning of value" }],
];

describe("unmarshalOutput (Go's json.Unmarshal into output.Output)", () => {
  it.each(RECORDED)("%s", (line, expected) => {
    let got: { error: string } | { key: string; value: string };
    try {
      got = unmarshalOutput(Buffer.from(line));
    } catch (err) {
      got = { error: (err as Error).message };
    }
    expect(got).toEqual(expected);
  });

  it("refuses nesting deeper than Go's scanner allows", () => {
    expect(() => unmarshalOutput(Buffer.from(`{"value":${"[".repeat(10_000)}`))).toThrowError(
      "invalid character '[' exceeded max depth",
    );
  });
});

describe("plainOutput (the line `kando output` prints, read without the scanner)", () => {
  const outcome = (read: (json: Uint8Array) => unknown, line: string) => {
    try {
      return read(Buffer.from(line));
    } catch (err) {
      return { error: (err as Error).message };
    }
  };

  it("reads json.Marshal's line for plain strings as Go's decode does", () => {
    expect(plainOutput(Buffer.from('{"key":"path","value":"/backups/1 at 12:00"}'))).toEqual({
      key: "path",
      value: "/backups/1 at 12:00",
    });
    expect(plainOutput(Buffer.from('{"key":"","value":""}'))).toEqual({ key: "", value: "" });
  });

  it("leaves every other shape to the general path", () => {
    for (const line of [
      '{"key":"a\\u003cb","value":"v"}',
      '{"key":"a", "value":"v"}',
      '{"value":"v","key":"a"}',
      '{"key":"a","value":"v","x":1}',
      '{"Key":"a","value":"v"}',
      '{"key":"caf\u00e9","value":"v"}',
      '{"key":"a","value":"v"} ',
      '{"key":"a","value":"v"}}',
      '{"key":"a"',
      '{"key":"a\tb","value":"v"}',
    ]) {
      expect(plainOutput(Buffer.from(line)), line).toBeUndefined();
    }
  });

  it("agrees with Go's scanner and decoder on any line it reads, and declines the rest", () => {
    // Lines near the plain shape: its pieces, quotes, backslashes, controls, non-ASCII, cut short.
    const piece = fc.constantFrom('{"key":"', '","value":"', '"}', '"', "\\", "\t", "é", "a", " ", "}", ",");
    const text = fc.string({ unit: fc.constantFrom("a", "Z", "0", " ", "/", "~", "\x7f", '"', "\\", "é") });
    const line = fc.oneof(
      fc.tuple(text, text).map(([k, v]) => `{"key":"${k}","value":"${v}"}`),
      fc.array(fc.oneof(piece, text), { maxLength: 8 }).map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(line, (l) => {
        const fast = plainOutput(Buffer.from(l));
        if (fast !== undefined) expect(fast).toEqual(outcome(decodeOutput, l));
        expect(outcome(unmarshalOutput, l)).toEqual(outcome(decodeOutput, l));
      }),
      { numRuns: 3000 },
    );
  });
});
