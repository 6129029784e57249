import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { compile, createEngineRegistry, registerEngine } from "./api.js";
import type { TemplateEngine } from "./engine.js";
import { TemplateError } from "./errors.js";
import { GoArgError, GoFuncError } from "./go/call-error.js";
import { render } from "./render.js";

function failure(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error("expected a TemplateError");
}

describe("render / compile", () => {
  it("renders Kanister-style parameters", () => {
    const data = { StatefulSet: { Name: "mysql", Namespace: "db", Pods: ["mysql-0", "mysql-1"] } };
    expect(render("{{ .StatefulSet.Namespace }}/{{ index .StatefulSet.Pods 0 }}", data)).toBe("db/mysql-0");
  });

  it("compiles once and renders many times with different data", () => {
    const t = compile("{{ range $i, $p := .Pods }}{{ if $i }},{{ end }}{{ $p }}{{ end }}", { name: "pods" });
    expect(t.name).toBe("pods");
    expect(t.engine).toBe("go");
    expect(t.render({ Pods: ["a", "b"] })).toBe("a,b");
    expect(t.render({ Pods: [] })).toBe("");
    expect(Object.isFrozen(t)).toBe(true);
  });

  it("reports a missing key with name, line, column and expression", () => {
    const err = failure(() => render("ok\n  {{ .Options.db }}", { Options: {} }, { name: "args" }));
    expect(err.code).toBe(ErrorCodes.TEMPLATE_MISSING_KEY);
    expect(err.message).toBe(
      'template: args:2:13: executing "args" at <.Options.db>: map has no entry for key "db"',
    );
    expect(err).toMatchObject({ template: "args", line: 2, column: 13, expression: ".Options.db" });
    expect(err).toBeInstanceOf(QuiesceError);
  });

  it("reports parse errors with Go's text and code", () => {
    const err = failure(() => compile("a\n{{ required .X }}", { name: "args" }));
    expect(err.code).toBe(ErrorCodes.TEMPLATE_PARSE);
    expect(err.message).toBe('template: args:2: function "required" not defined');
    expect(err.line).toBe(2);
  });

  it("reports exec errors (wrong types, bad calls) as QUIESCE_TEMPLATE_EXEC", () => {
    expect(failure(() => render('{{ lt 1 "a" }}', {})).code).toBe(ErrorCodes.TEMPLATE_EXEC);
    expect(failure(() => render("{{ .A.B }}", { A: "x" })).reason).toBe(
      "can't evaluate field B in type interface {}",
    );
  });

  it("lets hosts add functions; GoFuncError messages are reported verbatim", () => {
    const funcs = {
      shout: (s: unknown) => `${String(s).toUpperCase()}!`,
      must: () => {
        throw new GoFuncError("value required");
      },
      broken: () => {
        throw new TypeError("x is undefined");
      },
    };
    expect(render('{{ "hi" | shout }}', {}, { funcs })).toBe("HI!");
    expect(failure(() => render("{{ must }}", {}, { funcs })).message).toBe(
      'template: template:1:3: executing "template" at <must>: error calling must: value required',
    );
    const broken = failure(() => render("{{ broken }}", {}, { funcs }));
    expect(broken.reason).toBe("error calling broken: x is undefined");
    expect(broken.cause).toBeInstanceOf(TypeError);
  });

  it("rejects function names that are not identifiers", () => {
    expect(() => render("x", {}, { funcs: { "bad-name": () => 1 } })).toThrow(/not a valid identifier/);
  });

  it("renders define/template/block and else-with chains", () => {
    const src =
      '{{ define "T" }}<{{ .N }}>{{ end }}{{ template "T" .A }}{{ with .X }}x{{ else with .A }}{{ .N }}{{ end }}';
    expect(render(src, { A: { N: 1 }, X: "" })).toBe("<1>1");
  });
});

describe("limits", () => {
  it("stops a runaway loop with QUIESCE_TEMPLATE_LIMIT", () => {
    const err = failure(() => render("{{ range 100000 }}{{ range 100000 }}x{{ end }}{{ end }}", {}));
    expect(err.code).toBe(ErrorCodes.TEMPLATE_LIMIT);
  });

  it("enforces the output size limit", () => {
    const err = failure(() =>
      render("{{ range 1000 }}0123456789{{ end }}", {}, { limits: { maxOutputBytes: 5000 } }),
    );
    expect(err.code).toBe(ErrorCodes.TEMPLATE_LIMIT);
    expect(render("{{ range 10 }}x{{ end }}", {}, { limits: { maxOutputBytes: 10 } })).toBe("xxxxxxxxxx");
  });

  it("counts output in bytes, not characters", () => {
    expect(() => render("ééééé ééééé", {}, { limits: { maxOutputBytes: 12 } })).toThrow(TemplateError);
  });

  it("bounds recursive template calls", () => {
    const err = failure(() =>
      render('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}', {}),
    );
    expect(err.code).toBe(ErrorCodes.TEMPLATE_LIMIT);
    expect(err.reason).toMatch(/maximum template depth/);
  });

  it("reports pathological nesting as a limit, not a stack overflow", () => {
    const parens = (n: number) => `{{ ${"(".repeat(n)}1${")".repeat(n)} }}`;
    const ifs = (n: number) => `${"{{ if 1 }}".repeat(n)}x${"{{ end }}".repeat(n)}`;
    // Up to 200 levels render; beyond, the parser refuses the same way every time.
    expect(render(parens(199), {})).toBe("1");
    expect(render(ifs(199), {})).toBe("x");
    for (const source of [parens(200), parens(20000), ifs(20000)]) {
      const err = failure(() => compile(source));
      expect(err.code).toBe(ErrorCodes.TEMPLATE_LIMIT);
      expect(err.reason).toBe("template nesting is too deep (more than 200 levels)");
    }
  });

  it("rejects a source that is not a string", () => {
    expect(() => compile(42 as unknown as string)).toThrow(
      expect.objectContaining({ code: ErrorCodes.VALIDATION }),
    );
  });

  it("validates limit values", () => {
    expect(() => render("x", {}, { limits: { maxSteps: 0 } })).toThrow(/positive integer/);
  });
});

describe("environment access", () => {
  it("has no env/expandenv unless the host allows it", () => {
    expect(failure(() => render('{{ env "HOME" }}', {})).code).toBe(ErrorCodes.TEMPLATE_PARSE);
    expect(failure(() => render('{{ expandenv "$HOME" }}', {})).reason).toBe(
      'function "expandenv" not defined',
    );
  });

  it("reads options.env when allowed", () => {
    const env = { REGION: "eu", ZONE: "b" };
    expect(render('{{ env "REGION" }}-{{ env "NOPE" }}', {}, { allowEnv: true, env })).toBe("eu-");
    expect(render('{{ expandenv "$REGION/${ZONE}/$$x" }}', {}, { allowEnv: true, env })).toBe("eu/b/x");
  });
});

describe("engine registry", () => {
  const upper: TemplateEngine = {
    name: "upper",
    compile: (source, { name }) => ({ name, engine: "upper", render: () => source.toUpperCase() }),
  };

  it("registers, resolves and undoes engines", () => {
    const registry = createEngineRegistry();
    expect(registry.names()).toEqual(["go", "mustache"]);
    const undo = registry.register(upper);
    expect(render("abc", {}, { engine: "upper", registry })).toBe("ABC");
    expect(registry.register(upper)).toBeTypeOf("function");
    undo();
    expect(() => render("abc", {}, { engine: "upper", registry })).toThrow(
      expect.objectContaining({ code: ErrorCodes.NOT_REGISTERED }),
    );
  });

  it("refuses a different engine under a taken name", () => {
    const registry = createEngineRegistry();
    expect(() => registry.register({ ...upper, name: "go" })).toThrow(
      expect.objectContaining({ code: ErrorCodes.DUPLICATE_REGISTRATION }),
    );
  });

  it("adds engines to the global registry", () => {
    const undo = registerEngine(upper);
    try {
      expect(render("x", {}, { engine: "upper" })).toBe("X");
    } finally {
      undo();
    }
  });
});

describe("missingKey option", () => {
  it("yields no value instead of an error under zero/default, as Go does", () => {
    expect(render("{{ .A }}", {}, { missingKey: "zero" })).toBe("<no value>");
    expect(render("{{ .A.B.C }}", {}, { missingKey: "default" })).toBe("<no value>");
    expect(() => render("{{ .A.B }}", {}, { missingKey: "zero" })).toThrow(
      /nil pointer evaluating interface \{\}\.B/,
    );
    expect(() => render("{{ .A }}", {})).toThrow(
      expect.objectContaining({ code: ErrorCodes.TEMPLATE_MISSING_KEY }),
    );
  });
});

describe("GoArgError", () => {
  const funcs = {
    shout: (s: unknown) => {
      if (typeof s !== "string") throw new GoArgError("shout takes a string", 0, "string");
      return s.toUpperCase();
    },
    two: (...args: unknown[]) => {
      if (args.length !== 2) throw new GoArgError(`wrong number of args for two: want 2 got ${args.length}`);
      return args.join("");
    },
  };

  it("reports refused arguments at the argument, as Go's reflect call does", () => {
    expect(failure(() => render("{{ shout 3 }}", {}, { funcs })).message).toBe(
      'template: template:1:9: executing "template" at <3>: expected string; found 3',
    );
    expect(failure(() => render("{{ shout .N }}", { N: 1 }, { funcs })).reason).toBe(
      "wrong type for value; expected string; got int",
    );
    expect(failure(() => render("{{ shout nil }}", {}, { funcs })).reason).toBe(
      "cannot assign nil to string",
    );
    expect(failure(() => render("{{ two 1 }}", {}, { funcs })).message).toBe(
      'template: template:1:3: executing "template" at <two>: wrong number of args for two: want 2 got 1',
    );
  });
});
