/**
 * Bounded rendering: whatever a template does, it ends within its limits — steps, work, the size of
 * any value it builds, output, time, the caller's signal — with a coded TemplateError naming where.
 */
import { ErrorCodes } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { compile } from "./api.js";
import { DEFAULT_LIMITS, RenderBudget, resolveLimits } from "./budget.js";
import { TemplateError } from "./errors.js";
import { render } from "./render.js";
import { renderArgs } from "./render-args.js";

function failure(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error("expected a TemplateError");
}

describe("runaway templates end with QUIESCE_TEMPLATE_LIMIT at the call that ran away", () => {
  it("refuses to triple an 8 MB string (printf of % x), before building it", () => {
    const err = failure(() =>
      render('{{ range until 3 }}{{ $_ := printf "% x" (repeat 8000000 "x") }}{{ end }}', {}, { name: "t" }),
    );
    expect(err.code).toBe(ErrorCodes.TEMPLATE_LIMIT);
    expect(err.message).toBe(
      'template: t:1:28: executing "t" at <printf "% x" (repeat 8000000 "x")>: formatting: a value of 23999999 bytes exceeds the limit of 16777216 (limits.maxValueBytes)',
    );
    expect([err.line, err.column, err.expression]).toEqual([1, 28, 'printf "% x" (repeat 8000000 "x")']);
  });

  it("refuses a list of 16,000,000 numbers before allocating it", () => {
    const twelve = Array.from({ length: 12 }, (_, i) => `{{ $v${i} := until 16000000 }}`).join("");
    const err = failure(() => render(twelve, {}));
    expect(err.code).toBe(ErrorCodes.TEMPLATE_LIMIT);
    expect(err.expression).toBe("until 16000000");
    expect(err.reason).toMatch(/a value of 128000000 bytes exceeds the limit of 16777216/);
  });

  it("counts the work of the whole render: many values each within the limit are not", () => {
    const src = '{{ range until 100 }}{{ $_ := repeat 1000000 "x" }}{{ end }}';
    const err = failure(() => render(src, {}));
    expect(err.reason).toBe(
      `template exceeded its budget of ${64 * 1024 * 1024} bytes of work (limits.maxWorkBytes)`,
    );
    expect(err.expression).toBe('repeat 1000000 "x"');
    expect(render(src, {}, { limits: { maxWorkBytes: 256 * 1024 * 1024 } })).toBe("");
  });

  it("charges what a call reads, before it runs", () => {
    const src =
      '{{ $s := repeat 10000 "a" }}{{ range until 100 }}{{ if contains "b" $s }}b{{ end }}{{ end }}';
    expect(render(src, {}, { limits: { maxWorkBytes: 2_000_000 } })).toBe("");
    expect(failure(() => render(src, {}, { limits: { maxWorkBytes: 500_000 } })).expression).toBe(
      'contains "b" $s',
    );
    // Picking from a large value costs nothing more than a step.
    const pick = "{{ $l := until 100000 }}{{ range until 1000 }}{{ $_ := index $l 5 | default 1 }}{{ end }}";
    expect(render(pick, {}, { limits: { maxWorkBytes: 1_000_000 } })).toBe("");
  });

  it("charges encoding JSON per element and entry, however deep (a map passed around costs nothing)", () => {
    const src =
      "{{ $m := dict }}{{ range until 1000 }}{{ $_ := set $m (toString .) (list . .) }}{{ end }}{{ range 100 }}{{ $_ := toJson $m }}{{ end }}";
    expect(render(src, {}, { limits: { maxWorkBytes: 64 << 20 } })).toBe("");
    expect(failure(() => render(src, {}, { limits: { maxWorkBytes: 4 << 20 } })).expression).toBe(
      "toJson $m",
    );
  });

  it("charges listing a map's keys n·log n, at the range that lists them", () => {
    const src =
      "{{ $m := dict }}{{ range until 2000 }}{{ $_ := set $m (toString .) . }}{{ end }}{{ range 50 }}{{ range $m }}{{ break }}{{ end }}{{ end }}";
    expect(render(src, {}, { limits: { maxWorkBytes: 16 << 20 } })).toBe("");
    expect(failure(() => render(src, {}, { limits: { maxWorkBytes: 1 << 20 } })).message).toContain(
      'executing "template" at <{{range $m}}{{break}}{{end}}>: template exceeded its budget',
    );
  });

  it("charges quadratic functions quadratically", () => {
    expect(render("{{ uniq (until 300) | len }}", {}, { limits: { maxWorkBytes: 1 << 20 } })).toBe("300");
    const err = failure(() =>
      render("{{ uniq (until 3000) | len }}", {}, { limits: { maxWorkBytes: 1 << 20 } }),
    );
    expect(err.expression).toBe("uniq (until 3000)");
  });

  it("bounds what one formatting builds, however many elements or verbs", () => {
    expect(failure(() => render('{{ printf "%1000000v" (until 100) }}', {})).reason).toMatch(
      /^formatting: a value of \d+ bytes exceeds the limit/,
    );
    const verbs = '{{ printf "%999999d".repeat(20) 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 }}'.replace(
      '"%999999d".repeat(20)',
      JSON.stringify("%999999d".repeat(20)),
    );
    expect(failure(() => render(verbs, {})).reason).toMatch(
      /^printf: a value of \d+ bytes exceeds the limit/,
    );
  });

  it("stops a value that doubles at the limit", () => {
    const err = failure(() =>
      render('{{ $s := "x" }}{{ range until 40 }}{{ $s = print $s $s }}{{ end }}', {}),
    );
    expect(err.code).toBe(ErrorCodes.TEMPLATE_LIMIT);
    expect(err.expression).toBe("print $s $s");
  });

  it("bounds a host function's results and what it is given", () => {
    const funcs = { big: () => "x".repeat(2000), echo: (s: unknown) => String(s).length };
    const limits = { maxValueBytes: 1000 };
    expect(failure(() => render("{{ big }}", {}, { funcs, limits })).reason).toBe(
      "big: a value of 2000 bytes exceeds the limit of 1000 (limits.maxValueBytes)",
    );
    expect(render('{{ echo (repeat 900 "a") }}', {}, { funcs, limits })).toBe("900");
  });

  it("counts steps and output as before", () => {
    expect(failure(() => render("{{ range 100000 }}{{ range 100000 }}{{ end }}{{ end }}", {})).reason).toBe(
      "template exceeded its budget of 1000000 evaluation steps (limits.maxSteps)",
    );
    expect(render("{{ range 999 }}{{ end }}", {}, { limits: { maxSteps: 1000 } })).toBe("");
    expect(() => render("{{ range 1000 }}{{ end }}", {}, { limits: { maxSteps: 1000 } })).toThrow(
      "limits.maxSteps",
    );
  });
});

describe("time and cancellation", () => {
  it("stops a long render at its time limit (checked inside loops)", () => {
    const err = failure(() =>
      render("{{ range 100000 }}{{ range 9 }}{{ end }}{{ end }}", {}, { limits: { timeoutMs: 1 } }),
    );
    expect(err.code).toBe(ErrorCodes.TEMPLATE_LIMIT);
    expect(err.reason).toBe("rendering exceeded its time limit of 1 ms (limits.timeoutMs)");
  });

  it("does not start when the signal has aborted", () => {
    const reason = new Error("shutting down");
    const err = failure(() => render("{{ 1 }}", {}, { signal: AbortSignal.abort(reason) }));
    expect(err.code).toBe(ErrorCodes.ABORTED);
    expect(err.cause).toBe(reason);
    expect(failure(() => renderArgs({ a: "{{ 1 }}" }, {}, { signal: AbortSignal.abort() })).code).toBe(
      ErrorCodes.ABORTED,
    );
  });

  it("stops at the next checkpoint once the signal aborts during the render", () => {
    const controller = new AbortController();
    let calls = 0;
    const funcs = {
      tick: () => {
        if (++calls === 10) controller.abort(new Error("stop"));
        return "";
      },
    };
    const err = failure(() =>
      render("{{ range 100000 }}{{ tick }}{{ end }}", {}, { funcs, signal: controller.signal, name: "t" }),
    );
    expect(err.code).toBe(ErrorCodes.ABORTED);
    expect(err.message).toMatch(/^template: t:1:\d+: executing "t" at <.*>: rendering was aborted$/);
    expect(calls).toBeLessThan(2000);
  });
});

describe("budgets and renders", () => {
  it("shares one budget across the strings of an argument tree", () => {
    const loop = "{{ range 600 }}{{ end }}";
    const limits = { maxSteps: 1000 };
    expect(renderArgs({ a: loop }, {}, { limits })).toEqual({ a: "" });
    expect(failure(() => renderArgs({ a: loop, b: [loop] }, {}, { limits })).code).toBe(
      ErrorCodes.TEMPLATE_LIMIT,
    );
  });

  it("takes render-time limits and a shared budget on a compiled template", () => {
    const t = compile("{{ range 600 }}{{ end }}", { limits: { maxSteps: 500 } });
    expect(() => t.render({})).toThrow("limits.maxSteps");
    expect(t.render({}, { limits: { maxSteps: 700 } })).toBe("");
    const budget = new RenderBudget(resolveLimits({ maxSteps: 1000 }));
    expect(t.render({}, { budget })).toBe("");
    expect(budget.steps).toBeGreaterThan(600);
    expect(() => t.render({}, { budget })).toThrow("limits.maxSteps");
  });

  it("bounds mustache templates: steps and output", () => {
    const data = { l: Array.from({ length: 100 }, (_, i) => i) };
    const nested = "{{#l}}{{#l}}{{#l}}{{#l}}x{{/l}}{{/l}}{{/l}}{{/l}}";
    expect(failure(() => render(nested, data, { engine: "mustache" })).reason).toMatch(/limits\.maxSteps/);
    expect(
      failure(() =>
        render("{{#l}}0123456789{{/l}}", data, { engine: "mustache", limits: { maxOutputBytes: 500 } }),
      ).reason,
    ).toMatch(/limits\.maxOutputBytes/);
    expect(render("{{#l}}{{.}}{{/l}}", { l: [1, 2] }, { engine: "mustache" })).toBe("12");
  });

  it("validates limits: positive integers, known names", () => {
    expect(() => render("x", {}, { limits: { maxSteps: 0 } })).toThrow(
      /limits.maxSteps must be a positive integer/,
    );
    expect(() => render("x", {}, { limits: { maxWorkBytes: 1.5 } })).toThrow(/positive integer/);
    expect(() => render("x", {}, { limits: { maxStep: 5 } as never })).toThrow(
      /limits.maxStep is not a template limit/,
    );
    expect(resolveLimits(undefined)).toBe(DEFAULT_LIMITS);
  });
});
