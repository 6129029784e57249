/** Go text/template's parser: builds the trees of one source (main template plus define/block). */
import type {
  ArgNode,
  BranchNode,
  CommandNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  Tree,
  VariableNode,
} from "./ast.js";
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

function tokenString(tok: Token): string {
  if (tok.t === T.EOF) return "EOF";
  if (tok.t === T.Error) return tok.val;
  if (tok.t > T.Keyword) return `<${tok.val}>`;
  const chars = Array.from(tok.val);
  if (chars.length > 10) return `${goQ(chars.slice(0, 10).join(""))}...`;
  return goQ(tok.val);
}

function goQ(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, "\\x$1");
}

interface Scope {
  name: string;
  slot: number;
  iface: boolean;
}

type Item = { kind: "node"; node: Node } | { kind: "end" | "else"; tok: Token };

/** Go's parse.Tree state over one source; `parseTemplate` is its entry point. */
class Parser {
  readonly toks: Token[];
  readonly trees = new Map<string, Tree>();
  readonly lineStarts: number[] = [0];
  idx = 0;
  furthest = 0;
  actionLine = 0;
  rangeDepth = 0;
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
      return this.fail(e instanceof SyntaxErr ? e.message : "invalid syntax");
    }
  }
  addTree(tree: Tree): void {
    const old = this.trees.get(tree.name);
    if (old === undefined || isEmptyList(old.root)) {
      this.trees.set(tree.name, tree);
      return;
    }
    if (!isEmptyList(tree.root)) this.fail(`template: multiple definition of template ${goQ(tree.name)}`);
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

  // Runs `body` as the parse of a new tree (define/block), with fresh variables.
  inTree(treeName: string, body: () => ListNode): void {
    const saved = { vars: this.vars, slots: this.slots, rangeDepth: this.rangeDepth };
    this.vars = [{ name: "$", slot: 0, iface: false }];
    this.slots = 1;
    this.rangeDepth = 0;
    const root = body();
    this.addTree({ name: treeName, root, slots: this.slots });
    this.vars = saved.vars;
    this.slots = saved.slots;
    this.rangeDepth = saved.rangeDepth;
  }

  itemList(): [ListNode, Token & { node?: Node }, "end" | "else"] {
    const list: ListNode = { type: "list", pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().t !== T.EOF) {
      const r = this.textOrAction();
      if (r.kind !== "node") return [list, r.tok, r.kind];
      list.nodes.push(r.node);
    }
    return this.fail("unexpected EOF");
  }

  textOrAction(): Item {
    const tok = this.nextNonSpace();
    switch (tok.t) {
      case T.Text:
        return { kind: "node", node: { type: "text", pos: tok.pos, text: tok.val } };
      case T.LeftDelim: {
        this.actionLine = this.lineOf(tok.pos);
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      default:
        return this.unexpected(tok, "input");
    }
  }

  action(): Item {
    const tok = this.nextNonSpace();
    switch (tok.t) {
      case T.Block:
        return { kind: "node", node: this.blockControl() };
      case T.Break:
      case T.Continue: {
        const word = tok.t === T.Break ? "break" : "continue";
        const t2 = this.nextNonSpace();
        if (t2.t !== T.RightDelim) this.unexpected(t2, `{{${word}}}`);
        if (this.rangeDepth === 0) this.fail(`{{${word}}} outside {{range}}`);
        return { kind: "node", node: { type: word, pos: tok.pos } };
      }
      case T.Else: {
        const p = this.peekNonSpace();
        if (p.t === T.If || p.t === T.With) return { kind: "else", tok: p };
        return { kind: "else", tok: this.expect(T.RightDelim, "else") };
      }
      case T.End:
        return { kind: "end", tok: this.expect(T.RightDelim, "end") };
      case T.If:
        return { kind: "node", node: this.control("if") };
      case T.Range:
        return { kind: "node", node: this.control("range") };
      case T.With:
        return { kind: "node", node: this.control("with") };
      case T.Template:
        return { kind: "node", node: this.templateControl() };
    }
    this.backup();
    const p = this.peek();
    return {
      kind: "node",
      node: { type: "action", pos: p.pos, pipe: this.pipeline("command", T.RightDelim) },
    };
  }

  pipeline(context: string, end: T): PipeNode {
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

  control(context: "if" | "with" | "range"): BranchNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(context, T.RightDelim);
    if (context === "range") {
      // Range variables hold container elements (static type interface {}).
      for (const d of pipe.decl) {
        d.iface = true;
        const scope = this.vars.find((v) => v.slot === d.slot);
        if (scope) scope.iface = true;
      }
      this.rangeDepth++;
    }
    let [list, tok, kind] = this.itemList();
    if (context === "range") this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (kind === "else") {
      if ((context === "if" && tok.t === T.If) || (context === "with" && tok.t === T.With)) {
        this.nextNonSpace();
        elseList = { type: "list", pos: tok.pos, nodes: [this.control(context)] };
      } else {
        [elseList, tok, kind] = this.itemList();
        if (kind !== "end") this.fail(`expected end; found {{else}}`);
      }
    }
    this.vars.length = mark;
    const node: BranchNode = { type: context, pos: pipe.pos, pipe, list, elseList };
    if (context === "range") node.elemIface = true;
    return node;
  }

  templateName(tok: Token, context: string): string {
    if (tok.t === T.String || tok.t === T.RawString) return this.unquote(tok);
    return this.unexpected(tok, context);
  }

  blockControl(): TemplateNode {
    const context = "block clause";
    const tok = this.nextNonSpace();
    const blockName = this.templateName(tok, context);
    const pipe = this.pipeline(context, T.RightDelim);
    this.inTree(blockName, () => {
      const [root, , kind] = this.itemList();
      if (kind !== "end") this.fail(`unexpected {{else}} in ${context}`);
      return root;
    });
    return { type: "template", pos: tok.pos, name: blockName, pipe };
  }

  templateControl(): TemplateNode {
    const context = "template clause";
    const tok = this.nextNonSpace();
    const tname = this.templateName(tok, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().t !== T.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, T.RightDelim);
    }
    return { type: "template", pos: tok.pos, name: tname, pipe };
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

  parse(): Map<string, Tree> {
    // Top level: the main template, with {{define}} blocks parsed into their own this.trees.
    this.vars = [{ name: "$", slot: 0, iface: false }];
    this.slots = 1;
    const root: ListNode = { type: "list", pos: this.peek().pos, nodes: [] };
    while (this.peek().t !== T.EOF) {
      if (this.peek().t === T.LeftDelim) {
        const save = this.idx;
        this.next();
        if (this.nextNonSpace().t === T.Define) {
          const context = "define clause";
          const tok = this.nextNonSpace();
          if (tok.t !== T.String && tok.t !== T.RawString) this.unexpected(tok, context);
          const defName = this.unquote(tok);
          this.expect(T.RightDelim, context);
          const outer = { vars: this.vars, slots: this.slots };
          this.inTree(defName, () => {
            const [list, , kind] = this.itemList();
            if (kind !== "end") this.fail(`unexpected {{else}} in ${context}`);
            return list;
          });
          this.vars = outer.vars;
          this.slots = outer.slots;
          continue;
        }
        this.idx = save;
      }
      const r = this.textOrAction();
      if (r.kind !== "node") this.fail(`unexpected {{${r.kind}}}`);
      else root.nodes.push(r.node);
    }
    this.addTree({ name: this.name, root, slots: this.slots });
    return this.trees;
  }
}

/**
 * Parses `text` into named trees. `hasFunction` tells which identifiers are functions;
 * `name` is the main template's name.
 */
export function parseTemplate(
  name: string,
  text: string,
  hasFunction: (n: string) => boolean,
): Map<string, Tree> {
  return new Parser(name, text, hasFunction).parse();
}

function isEmptyList(list: ListNode): boolean {
  return list.nodes.every((n) => {
    if (n.type === "text") return n.text.trim() === "";
    if (n.type === "list") return isEmptyList(n);
    return false;
  });
}
