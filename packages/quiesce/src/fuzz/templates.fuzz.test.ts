/**
 * Property-based fuzzing of the template engine through its public API: random Go templates
 * (actions, pipelines, control structures, sprig and builtin functions, literals, broken syntax)
 * rendered against random — also cyclic — data, argument trees rendered with `renderArgs`, and
 * `${VAR}` substitution. Whatever the input, the result is a string or a coded QuiesceError.
 * A second family draws large numbers too (repeat, until, widths, nested ranges): whatever it builds,
 * a render ends within its limits — steps, work, output — or with QUIESCE_TEMPLATE_LIMIT.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compile,
  ErrorCodes,
  QuiesceError,
  RenderBudget,
  render,
  renderArgs,
  resolveLimits,
  sprigFunctions,
  substituteVars,
} from "../index.js";
import { applyEdits, keyArb, valueArb } from "./test-support/arbitraries.js";
import { fuzzParameters } from "./test-support/budget.js";
import { FuzzTally, fuzzTarget } from "./test-support/oracle.js";

const BUILTINS = [
  "and",
  "or",
  "not",
  "len",
  "index",
  "slice",
  "print",
  "printf",
  "println",
  "html",
  "js",
  "urlquery",
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "call",
];
const FUNCS = [...BUILTINS, ...Object.keys(sprigFunctions)];
const FIELDS = ["Options", "StatefulSet", "Name", "Pods", "Namespace", "Object", "metadata", "x", "a", "0"];

const small = fc.integer({ min: -3, max: 20 }).map(String);
/** Numbers that make templates build large values or loop long, if nothing bounded them. */
const large = fc.constantFrom("1000", "100000", "1000000", "8000000", "16000000", "100000000", "2147483647");
const literalOf = (n: fc.Arbitrary<string>) =>
  fc.oneof(
    n,
    fc.constantFrom(
      '"a"',
      '"{{"',
      '""',
      '"%v %d %s"',
      '"2006-01-02"',
      '"x,y"',
      "true",
      "false",
      "nil",
      "1.5",
      "'a'",
      "0x10",
      "1e3",
      '"\\u00e9"',
      "`raw`",
    ),
  );
const literal = literalOf(small);
const field = fc
  .array(fc.constantFrom(...FIELDS), { minLength: 0, maxLength: 3 })
  .map((p) => `.${p.join(".")}`);
const variable = fc.constantFrom("$", "$x", "$i", "$v", "$undefined");

const operandOf = (literal: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.letrec<{ operand: string; pipeline: string }>((tie) => ({
    operand: fc.oneof(
      { depthSize: "small" },
      literal,
      field,
      variable,
      tie("pipeline").map((p) => `(${p})`),
    ),
    pipeline: fc
      .array(
        fc.oneof(
          tie("operand"),
          fc
            .tuple(fc.constantFrom(...FUNCS), fc.array(tie("operand"), { maxLength: 3 }))
            .map(([f, args]) => [f, ...args].join(" ")),
        ),
        { minLength: 1, maxLength: 3 },
      )
      .map((cmds) => cmds.join(" | ")),
  })).operand;

const pipelineOf = (operand: fc.Arbitrary<string>) =>
  fc
    .array(
      fc.oneof(
        operand,
        fc
          .tuple(fc.constantFrom(...FUNCS), fc.array(operand, { maxLength: 3 }))
          .map(([f, a]) => [f, ...a].join(" ")),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((cmds) => cmds.join(" | "));

const bodyOf = (pipeline: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.letrec<{ body: string }>((tie) => ({
    body: fc
      .array(
        fc.oneof(
          { depthSize: "small" },
          fc.constantFrom("text ", "\n", "{", "}", " "),
          pipeline.map((p) => `{{ ${p} }}`),
          pipeline.map((p) => `{{- ${p} -}}`),
          fc.tuple(variable, pipeline).map(([v, p]) => `{{ ${v === "$" ? "$x" : v} := ${p} }}`),
          fc
            .tuple(pipeline, tie("body"), tie("body"))
            .map(([p, a, b]) => `{{ if ${p} }}${a}{{ else }}${b}{{ end }}`),
          fc.tuple(pipeline, tie("body")).map(([p, a]) => `{{ range $i, $v := ${p} }}${a}{{ end }}`),
          fc.tuple(pipeline, tie("body")).map(([p, a]) => `{{ with ${p} }}${a}{{ end }}`),
          fc.tuple(tie("body")).map(([a]) => `{{ define "t" }}${a}{{ end }}{{ template "t" . }}`),
          fc.constantFrom(
            "{{ break }}",
            "{{ continue }}",
            "{{/* c */}}",
            "{{",
            "}}",
            "{{ end }}",
            "{{ else }}",
            '{{ template "nope" }}',
            "{{ .x.y.z }}",
          ),
        ),
        { maxLength: 5 },
      )
      .map((parts) => parts.join("")),
  })).body;

const body = bodyOf(pipelineOf(operandOf(literal)));
/** Templates whose numbers may be large: `repeat 16000000`, `until 100000000`, `range 1000000`. */
/** Calls that build or loop in proportion to a number: random arguments rarely get that far. */
const heavyCall = fc
  .tuple(
    fc.constantFrom(
      'repeat N "xy"',
      "until N",
      "seq N",
      "untilStep 0 N 1",
      'printf "% x" (repeat N "x")',
      'printf "%vN" (until N)',
      'indent N "a\nb"',
      "list N N N | toJson | repeat N",
      'repeat N "a," | splitList "," | uniq',
      'repeat N "a" | b64enc | regexReplaceAll "a" "bb"',
    ),
    large,
  )
  .map(([call, n]) => `(${call.replaceAll("N", n)})`);
const heavyBody = bodyOf(pipelineOf(operandOf(fc.oneof(literalOf(fc.oneof(small, large)), heavyCall))));
/** A heavy template: random, or one that surely evaluates a heavy call (alone, or ranged over). */
const heavyTemplate = fc.oneof(
  heavyBody,
  fc.tuple(heavyCall, heavyBody).map(([c, b]) => `{{ $x := ${c} }}${b}`),
  fc.tuple(heavyCall, heavyBody).map(([c, b]) => `{{ range $i, $v := ${c} }}${b}{{ end }}`),
);

const withCycles = fc.tuple(valueArb, fc.boolean()).map(([v, cyclic]) => {
  const data = { Options: { x: "1" }, StatefulSet: { Name: "db", Pods: ["db-0"] }, x: v } as Record<
    string,
    unknown
  >;
  if (cyclic) data.self = data;
  return data;
});

const fuzz = (target: string, arb: fc.Arbitrary<unknown>, fn: (input: unknown) => unknown) =>
  fuzzTarget(target, arb, fn, { needsPath: false, ci: 300 });

/** Tight limits, so that a property run stays fast while every bound is reached often. */
const LIMITS = resolveLimits({
  maxSteps: 20_000,
  maxWorkBytes: 4 << 20,
  maxValueBytes: 1 << 20,
  maxOutputBytes: 64 << 10,
});

describe("bounded rendering", () => {
  it("ends within its limits whatever a template builds or loops over", { timeout: 600_000 }, () => {
    const tally = new FuzzTally("render (bounded)", false);
    let limited = 0;
    fc.assert(
      fc.property(fc.tuple(heavyTemplate, withCycles), ([src, data]) => {
        const budget = new RenderBudget(LIMITS);
        let out: string | undefined;
        tally.check(src, () => {
          try {
            out = compile(src).render(data, { budget });
          } catch (err) {
            if (err instanceof QuiesceError && err.code === ErrorCodes.TEMPLATE_LIMIT) limited++;
            throw err;
          }
        });
        // Counters stop at the first check past a limit: a step, or the charge of one call — made
        // before the call runs (the work is then never done), at most 32 bytes per byte of the
        // largest value (a regular expression matched over it).
        expect(budget.steps).toBeLessThanOrEqual(LIMITS.maxSteps + 1);
        expect(budget.work).toBeLessThanOrEqual(LIMITS.maxWorkBytes + 32 * LIMITS.maxValueBytes + 64);
        if (out !== undefined) expect(Buffer.byteLength(out)).toBeLessThanOrEqual(LIMITS.maxOutputBytes);
      }),
      fuzzParameters(300),
    );
    expect(tally.finish()).toEqual([]);
    expect(limited).toBeGreaterThan(0);
  });
});

describe("fuzzed Go templates", () => {
  fuzz("compile", fc.oneof(body, fc.string()), (src) => compile(src as string));
  fuzz("render", fc.tuple(body, withCycles), (input) => {
    const [src, data] = input as [string, unknown];
    return render(src, data);
  });
  fuzz("render (missingkey=zero)", fc.tuple(body, withCycles), (input) => {
    const [src, data] = input as [string, unknown];
    return render(src, data, { missingKey: "zero" });
  });
  fuzz("render (mustache)", fc.tuple(fc.oneof(body, fc.string()), withCycles), (input) => {
    const [src, data] = input as [string, unknown];
    return render(src, data, { engine: "mustache" });
  });
  fuzz(
    "renderArgs",
    fc
      .tuple(
        fc.array(
          fc.record({
            at: fc.nat(),
            op: fc.constantFrom("set" as const, "cycle" as const, "deep" as const),
            value: fc.oneof(body, valueArb),
            key: keyArb,
          }),
          { maxLength: 3 },
        ),
        valueArb,
        withCycles,
      )
      .map(([edits, args, data]) => [applyEdits(args, edits), data]),
    (input) => {
      const [args, data] = input as [unknown, unknown];
      return renderArgs(args, data);
    },
  );
  fuzz(
    "substituteVars",
    fc.tuple(
      fc
        .array(
          fc.oneof(
            fc.constantFrom("${X}", "${X:=d}", "${X:-d}", "${", "}", "$", "${Y:=${X}}", "$$", "${ X }"),
            fc.string({ maxLength: 5 }),
          ),
          { maxLength: 6 },
        )
        .map((p) => p.join("")),
      fc.dictionary(
        fc.constantFrom("X", "Y", "Z"),
        fc.oneof(fc.string({ maxLength: 5 }), fc.constant(undefined)),
      ),
    ),
    (input) => {
      const [text, vars] = input as [string, Record<string, string | undefined>];
      return substituteVars(text, vars);
    },
  );
});
