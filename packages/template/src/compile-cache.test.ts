import { describe, expect, it } from "vitest";
import { compileCached } from "./compile-cache.js";
import { render } from "./index.js";

describe("the shared compile cache", () => {
  it("answers a repeated template from the cache, also for fresh options literals", () => {
    const a = compileCached("{{ .A }}-cache", { name: "step" });
    const b = compileCached("{{ .A }}-cache", { name: "step" });
    expect(b).toBe(a);
    expect(render("{{ .A }}-cache", { A: 1 }, { name: "step" })).toBe("1-cache");
  });

  it("keeps options that change behaviour apart", () => {
    expect(render("{{ .missing }}", {}, { missingKey: "zero" })).toBe("<no value>");
    expect(() => render("{{ .missing }}", {})).toThrowError(/map has no entry for key "missing"/);
    expect(render("{{ .missing }}", {}, { missingKey: "default" })).toBe("<no value>");
    expect(compileCached("{{ .A }}", { name: "one" })).not.toBe(compileCached("{{ .A }}", { name: "two" }));
  });

  it("caches templates with host functions per options object only", () => {
    const first = { funcs: { shout: (s: unknown) => `${String(s)}!` } };
    const second = { funcs: { shout: (s: unknown) => `${String(s)}?` } };
    expect(render('{{ shout "a" }}', {}, first)).toBe("a!");
    expect(render('{{ shout "a" }}', {}, second)).toBe("a?");
    expect(compileCached('{{ shout "a" }}', first)).toBe(compileCached('{{ shout "a" }}', first));
  });

  it("does not cache a template that fails to compile", () => {
    expect(() => render("{{ if }}", {})).toThrowError(/missing value for if/);
    expect(() => render("{{ if }}", {})).toThrowError(/missing value for if/);
  });
});
