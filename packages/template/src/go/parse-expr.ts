/** Go text/template's parser, first half: the token stream, variables and pipelines/operands. */
import type { ArgNode, CommandNode, NumberNode, PipeNode, VariableNode } from "./ast.js";
import { nodeString } from "./ast.js";
import { lex, T, type Token } from "./lexer.js";
import { parseNumber, SyntaxErr, unquoteChar, unquoteString } from "./unquote.js";

/** A parse failure: Go's message text and the 1-based line it names. */
export class ParseFailure extends Error {
  constructor(
    readonly detail: string,
    readonly line: number,
  ) {
    super(detail);
  }
}

/**
 * How deep pipelines, parentheses and control structures may nest. Go's parser has no such limit
 * (goroutine stacks grow); here the parse, compile and render recurse per level on a fixed JS
 * stack, so deeper nesting is refused up front — the same way every time — instead of failing
 * wherever the stack happens to run out.
 */
export const MAX_NESTING = 200;

/** A source nested deeper than {@link MAX_NESTING}: a limit, not a syntax error. */
export class NestingLimitFailure extends ParseFailure {}

/** The JS engine's stack overflow: never a template's own error, so never caught as one. */
export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

export function tokenString(tok: Token): string {
  if (tok.t === T.EOF) return "EOF";
  if (tok.t === T.Error) return tok.val;
  if (tok.t > T.Keyword) return `<${tok.val}>`;
  const chars = Array.from(tok.val);
  if (chars.length > 10) return `${goQ(chars.slice(0, 10).join(""))}...`;
  return goQ(tok.val);
}

export function goQ(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, "\\x$1");
}

export interface Scope {
  name: string;
  slot: number;
  iface: boolean;
}

/** Token-stream, variable and expression parsing shared by the statement parser (Go's parse.Tree). */
export abstract class ExprParser {
  readonly toks: Token[];
  readonly lineStarts: number[] = [0];
  idx = 0;
  furthest = 0;
  actionLine = 0;
  rangeDepth = 0;
  /** Pipelines, parentheses and control structures open at this point. */
  nesting = 0;
  vars: Scope[] = [];
  slots = 0;

  constructor(
    readonly name: string,
    readonly text: string,
    readonly hasFunction: (n: string) => boolean,
  ) {
    this.toks = lex(text, !hasFunction("break"), !hasFunction("continue"));
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
  }

  lineOf(pos: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  fail(msg: string): never {
    const tok = this.toks[Math.min(this.furthest, this.toks.length - 1)]!;
    throw new ParseFailure(msg, this.lineOf(tok.pos));
  }

  /** Runs `parse` one nesting level deeper; past {@link MAX_NESTING} levels, a limit failure. */
  nested<R>(parse: () => R): R {
    if (this.nesting >= MAX_NESTING) {
      const tok = this.toks[Math.min(this.furthest, this.toks.length - 1)]!;
      throw new NestingLimitFailure(
        `template nesting is too deep (more than ${MAX_NESTING} levels)`,
        this.lineOf(tok.pos),
      );
    }
    this.nesting++;
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  next(): Token {
    const tok = this.toks[this.idx] ?? this.toks[this.toks.length - 1]!;
    if (this.idx > this.furthest) this.furthest = this.idx;
    if (this.idx < this.toks.length) this.idx++;
    return tok;
  }

  backup(n = 1): void {
    this.idx -= n;
  }

  peek(): Token {
    const tok = this.next();
    this.backup();
    return tok;
  }

  nextNonSpace(): Token {
    let tok = this.next();
    while (tok.t === T.Space) tok = this.next();
    return tok;
  }

  peekNonSpace(): Token {
    const save = this.idx;
    const tok = this.nextNonSpace();
    this.idx = save;
    return tok;
  }

  unexpected(tok: Token, context: string): never {
    if (tok.t === T.Error) {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== this.lineOf(tok.pos)) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (tok.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      return this.fail(`${tokenString(tok)}${extra}`);
    }
    return this.fail(`unexpected ${tokenString(tok)} in ${context}`);
  }

  expect(t: T, context: string): Token {
    const tok = this.nextNonSpace();
    if (tok.t !== t) this.unexpected(tok, context);
    return tok;
  }

  unquote(tok: Token): string {
    try {
      return unquoteString(tok.val);
    } catch (e) {
      if (isStackOverflow(e)) throw e;
      return this.fail(e instanceof SyntaxErr ? e.message : "invalid syntax");
    }
  }

  declare(pos: number, ident: string, iface: boolean): VariableNode {
    const slot = this.slots++;
    this.vars.push({ name: ident, slot, iface });
    return { type: "variable", pos, ident: [ident], slot, iface };
  }

  useVar(pos: number, val: string): VariableNode {
    const ident = val.split(".");
    const head = ident[0]!;
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i]!;
      if (v.name === head) return { type: "variable", pos, ident, slot: v.slot, iface: v.iface };
    }
    return this.fail(`undefined variable ${goQ(head)}`);
  }

  pipeline(context: string, end: T): PipeNode {
    return this.nested(() => this.pipelineAt(context, end));
  }

  private pipelineAt(context: string, end: T): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { type: "pipe", pos: first.pos, isAssign: false, decl: [], cmds: [] };
    const pending: { pos: number; val: string }[] = [];
    for (;;) {
      const v = this.peekNonSpace();
      if (v.t !== T.Variable) break;
      const save = this.idx;
      this.nextNonSpace();
      const afterVar = this.peek();
      const nxt = this.peekNonSpace();
      if (nxt.t === T.Assign || nxt.t === T.Declare) {
        pipe.isAssign = nxt.t === T.Assign;
        this.nextNonSpace();
        pending.push({ pos: v.pos, val: v.val });
        break;
      }
      if (nxt.t === T.Char && nxt.val === ",") {
        this.nextNonSpace();
        pending.push({ pos: v.pos, val: v.val });
        if (context === "range" && pending.length < 2) {
          const p = this.peekNonSpace().t;
          if (p === T.Variable || p === T.RightDelim || p === T.RightParen) continue;
          this.fail("range can only initialize variables");
        }
        this.fail(`too many declarations in ${context}`);
      }
      void afterVar;
      this.idx = save;
      break;
    }
    // Declarations become visible only after the pipeline, as Go pushes them at parse time;
    // the command itself may refer to an outer variable of the same name (Go resolves by name).
    for (;;) {
      const tok = this.nextNonSpace();
      if (tok.t === end) {
        this.checkPipeline(pipe, context);
        break;
      }
      switch (tok.t) {
        case T.Bool:
        case T.CharConstant:
        case T.Complex:
        case T.Dot:
        case T.Field:
        case T.Identifier:
        case T.Number:
        case T.Nil:
        case T.RawString:
        case T.String:
        case T.Variable:
        case T.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          continue;
        default:
          this.unexpected(tok, context);
      }
    }
    for (const d of pending) {
      if (pipe.isAssign) pipe.decl.push(this.useVar(d.pos, d.val));
      else pipe.decl.push(this.declare(d.pos, d.val, false));
    }
    return pipe;
  }

  checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const t = pipe.cmds[i]!.args[0]!.type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string") {
        this.fail(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const op = this.operand();
      if (op !== null) cmd.args.push(op);
      const tok = this.next();
      if (tok.t === T.Space) continue;
      if (tok.t === T.RightDelim || tok.t === T.RightParen) this.backup();
      else if (tok.t !== T.Pipe) this.unexpected(tok, "operand");
      break;
    }
    if (cmd.args.length === 0) this.fail("empty command");
    return cmd;
  }

  operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().t !== T.Field) return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().t === T.Field) fields.push(this.next().val.slice(1));
    switch (node.type) {
      case "field":
        return { type: "field", pos, ident: [...node.ident, ...fields] };
      case "variable":
        return { ...node, pos, ident: [...node.ident, ...fields] };
      case "bool":
      case "string":
      case "number":
      case "nil":
      case "dot":
        return this.fail(`unexpected . after term ${goQ(nodeString(node))}`);
      default:
        return { type: "chain", pos, node, field: fields };
    }
  }

  term(): ArgNode | null {
    const tok = this.nextNonSpace();
    switch (tok.t) {
      case T.Identifier:
        if (!this.hasFunction(tok.val)) this.fail(`function ${goQ(tok.val)} not defined`);
        return { type: "identifier", pos: tok.pos, name: tok.val };
      case T.Dot:
        return { type: "dot", pos: tok.pos };
      case T.Nil:
        return { type: "nil", pos: tok.pos };
      case T.Variable:
        return this.useVar(tok.pos, tok.val);
      case T.Field:
        return { type: "field", pos: tok.pos, ident: tok.val.slice(1).split(".") };
      case T.Bool:
        return { type: "bool", pos: tok.pos, value: tok.val === "true" };
      case T.CharConstant:
        try {
          return { type: "number", pos: tok.pos, text: tok.val, value: unquoteChar(tok.val) };
        } catch (e) {
          if (isStackOverflow(e)) throw e;
          return this.fail(e instanceof Error ? e.message : "invalid syntax");
        }
      case T.Complex:
      case T.Number:
        try {
          const num = parseNumber(tok.val);
          const node: NumberNode = { type: "number", pos: tok.pos, text: tok.val, value: num.value };
          if (num.overflow) node.overflow = true;
          return node;
        } catch (e) {
          if (isStackOverflow(e)) throw e;
          return this.fail(e instanceof Error ? e.message : "invalid syntax");
        }
      case T.LeftParen:
        return this.pipeline("parenthesized pipeline", T.RightParen);
      case T.String:
      case T.RawString:
        return { type: "string", pos: tok.pos, quoted: tok.val, text: this.unquote(tok) };
    }
    this.backup();
    return null;
  }
}
