import { describe, expect, it } from "vitest";
import { lex, T } from "./lexer.js";

const kinds = (src: string) => lex(src).map((t) => t.t);

describe("lexer", () => {
  it("splits text and actions, honouring trim markers", () => {
    const toks = lex("a  {{- .X -}}  b");
    expect(toks.map((t) => [t.t, t.val])).toEqual([
      [T.Text, "a"],
      [T.LeftDelim, "{{"],
      [T.Field, ".X"],
      [T.RightDelim, "}}"],
      [T.Text, "b"],
      [T.EOF, ""],
    ]);
  });

  it("does not treat {{-3}} as a trim marker", () => {
    expect(lex("{{-3}}").map((t) => t.val)).toContain("-3");
  });

  it("recognises literals, keywords, variables and declarations", () => {
    expect(kinds("{{ $x := `r` \"s\" 'c' 0x1F 1e3 true nil }}")).toEqual([
      T.LeftDelim,
      T.Space,
      T.Variable,
      T.Space,
      T.Declare,
      T.Space,
      T.RawString,
      T.Space,
      T.String,
      T.Space,
      T.CharConstant,
      T.Space,
      T.Number,
      T.Space,
      T.Number,
      T.Space,
      T.Bool,
      T.Space,
      T.Nil,
      T.Space,
      T.RightDelim,
      T.EOF,
    ]);
  });

  it("drops comments and reports lexical errors", () => {
    expect(kinds("a{{/* note */}}b")).toEqual([T.Text, T.Text, T.EOF]);
    expect(lex("{{ .A").at(-1)).toMatchObject({ t: T.Error, val: "unclosed action" });
    expect(lex('{{ "abc }}').at(-1)).toMatchObject({ t: T.Error, val: "unterminated quoted string" });
    expect(lex("{{ 3x }}").at(-1)).toMatchObject({ t: T.Error, val: 'bad number syntax: "3x"' });
  });
});
