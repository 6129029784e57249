/** Go text/template's parser: builds the trees of one source (main template plus define/block). */
import type {
  ArgNode,
  BranchNode,
  CommandNode,
  ListNode,
  Node,
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

/**
 * Parses `text` into named trees. `hasFunction` tells which identifiers are functions;
 * `name` is the main template's name.
 */
export function parseTemplate(
  name: string,
  text: string,
  hasFunction: (n: string) => boolean,
): Map<string, Tree> {
  const toks = lex(text, !hasFunction("break"), !hasFunction("continue"));
  const trees = new Map<string, Tree>();
  const lineStarts: number[] = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const lineOf = (pos: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  let idx = 0;
  let furthest = 0;
  let actionLine = 0;
  let rangeDepth = 0;
  let vars: Scope[] = [];
  let slots = 0;

  const fail = (msg: string): never => {
    const tok = toks[Math.min(furthest, toks.length - 1)]!;
    throw new ParseFailure(msg, lineOf(tok.pos));
  };
  const next = (): Token => {
    const tok = toks[idx] ?? toks[toks.length - 1]!;
    if (idx > furthest) furthest = idx;
    if (idx < toks.length) idx++;
    return tok;
  };
  const backup = (n = 1): void => {
    idx -= n;
  };
  const peek = (): Token => {
    const tok = next();
    backup();
    return tok;
  };
  const nextNonSpace = (): Token => {
    let tok = next();
    while (tok.t === T.Space) tok = next();
    return tok;
  };
  const peekNonSpace = (): Token => {
    const save = idx;
    const tok = nextNonSpace();
    idx = save;
    return tok;
  };
  const unexpected = (tok: Token, context: string): never => {
    if (tok.t === T.Error) {
      let extra = "";
      if (actionLine !== 0 && actionLine !== lineOf(tok.pos)) {
        extra = ` in action started at ${name}:${actionLine}`;
        if (tok.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      return fail(`${tokenString(tok)}${extra}`);
    }
    return fail(`unexpected ${tokenString(tok)} in ${context}`);
  };
  const expect = (t: T, context: string): Token => {
    const tok = nextNonSpace();
    if (tok.t !== t) unexpected(tok, context);
    return tok;
  };
  const unquote = (tok: Token): string => {
    try {
      return unquoteString(tok.val);
    } catch (e) {
      return fail(e instanceof SyntaxErr ? e.message : "invalid syntax");
    }
  };
  const addTree = (tree: Tree): void => {
    const old = trees.get(tree.name);
    if (old === undefined || isEmptyList(old.root)) {
      trees.set(tree.name, tree);
      return;
    }
    if (!isEmptyList(tree.root)) fail(`template: multiple definition of template ${goQ(tree.name)}`);
  };
  const declare = (pos: number, ident: string, iface: boolean): VariableNode => {
    const slot = slots++;
    vars.push({ name: ident, slot, iface });
    return { type: "variable", pos, ident: [ident], slot, iface };
  };
  const useVar = (pos: number, val: string): VariableNode => {
    const ident = val.split(".");
    const head = ident[0]!;
    for (let i = vars.length - 1; i >= 0; i--) {
      const v = vars[i]!;
      if (v.name === head) return { type: "variable", pos, ident, slot: v.slot, iface: v.iface };
    }
    return fail(`undefined variable ${goQ(head)}`);
  };

  // Runs `body` as the parse of a new tree (define/block), with fresh variables.
  const inTree = (treeName: string, body: () => ListNode): void => {
    const saved = { vars, slots, rangeDepth };
    vars = [{ name: "$", slot: 0, iface: false }];
    slots = 1;
    rangeDepth = 0;
    const root = body();
    addTree({ name: treeName, root, slots });
    ({ vars, slots, rangeDepth } = saved);
  };

  const itemList = (): [ListNode, Token & { node?: Node }, "end" | "else"] => {
    const list: ListNode = { type: "list", pos: peekNonSpace().pos, nodes: [] };
    while (peekNonSpace().t !== T.EOF) {
      const r = textOrAction();
      if (r.kind !== "node") return [list, r.tok, r.kind];
      list.nodes.push(r.node);
    }
    return fail("unexpected EOF");
  };

  type Item = { kind: "node"; node: Node } | { kind: "end" | "else"; tok: Token };

  const textOrAction = (): Item => {
    const tok = nextNonSpace();
    switch (tok.t) {
      case T.Text:
        return { kind: "node", node: { type: "text", pos: tok.pos, text: tok.val } };
      case T.LeftDelim: {
        actionLine = lineOf(tok.pos);
        try {
          return action();
        } finally {
          actionLine = 0;
        }
      }
      default:
        return unexpected(tok, "input");
    }
  };

  const action = (): Item => {
    const tok = nextNonSpace();
    switch (tok.t) {
      case T.Block:
        return { kind: "node", node: blockControl() };
      case T.Break:
      case T.Continue: {
        const word = tok.t === T.Break ? "break" : "continue";
        const t2 = nextNonSpace();
        if (t2.t !== T.RightDelim) unexpected(t2, `{{${word}}}`);
        if (rangeDepth === 0) fail(`{{${word}}} outside {{range}}`);
        return { kind: "node", node: { type: word, pos: tok.pos } };
      }
      case T.Else: {
        const p = peekNonSpace();
        if (p.t === T.If || p.t === T.With) return { kind: "else", tok: p };
        return { kind: "else", tok: expect(T.RightDelim, "else") };
      }
      case T.End:
        return { kind: "end", tok: expect(T.RightDelim, "end") };
      case T.If:
        return { kind: "node", node: control("if") };
      case T.Range:
        return { kind: "node", node: control("range") };
      case T.With:
        return { kind: "node", node: control("with") };
      case T.Template:
        return { kind: "node", node: templateControl() };
    }
    backup();
    const p = peek();
    return { kind: "node", node: { type: "action", pos: p.pos, pipe: pipeline("command", T.RightDelim) } };
  };

  const pipeline = (context: string, end: T): PipeNode => {
    const first = peekNonSpace();
    const pipe: PipeNode = { type: "pipe", pos: first.pos, isAssign: false, decl: [], cmds: [] };
    const pending: { pos: number; val: string }[] = [];
    for (;;) {
      const v = peekNonSpace();
      if (v.t !== T.Variable) break;
      const save = idx;
      nextNonSpace();
      const afterVar = peek();
      const nxt = peekNonSpace();
      if (nxt.t === T.Assign || nxt.t === T.Declare) {
        pipe.isAssign = nxt.t === T.Assign;
        nextNonSpace();
        pending.push({ pos: v.pos, val: v.val });
        break;
      }
      if (nxt.t === T.Char && nxt.val === ",") {
        nextNonSpace();
        pending.push({ pos: v.pos, val: v.val });
        if (context === "range" && pending.length < 2) {
          const p = peekNonSpace().t;
          if (p === T.Variable || p === T.RightDelim || p === T.RightParen) continue;
          fail("range can only initialize variables");
        }
        fail(`too many declarations in ${context}`);
      }
      void afterVar;
      idx = save;
      break;
    }
    // Declarations become visible only after the pipeline, as Go pushes them at parse time;
    // the command itself may refer to an outer variable of the same name (Go resolves by name).
    for (;;) {
      const tok = nextNonSpace();
      if (tok.t === end) {
        checkPipeline(pipe, context);
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
          backup();
          pipe.cmds.push(command());
          continue;
        default:
          unexpected(tok, context);
      }
    }
    for (const d of pending) {
      if (pipe.isAssign) pipe.decl.push(useVar(d.pos, d.val));
      else pipe.decl.push(declare(d.pos, d.val, false));
    }
    return pipe;
  };

  const checkPipeline = (pipe: PipeNode, context: string): void => {
    if (pipe.cmds.length === 0) fail(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const t = pipe.cmds[i]!.args[0]!.type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string") {
        fail(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  };

  const control = (context: "if" | "with" | "range"): BranchNode => {
    const mark = vars.length;
    const pipe = pipeline(context, T.RightDelim);
    if (context === "range") {
      // Range variables hold container elements (static type interface {}).
      for (const d of pipe.decl) {
        d.iface = true;
        const scope = vars.find((v) => v.slot === d.slot);
        if (scope) scope.iface = true;
      }
      rangeDepth++;
    }
    let [list, tok, kind] = itemList();
    if (context === "range") rangeDepth--;
    let elseList: ListNode | null = null;
    if (kind === "else") {
      if ((context === "if" && tok.t === T.If) || (context === "with" && tok.t === T.With)) {
        nextNonSpace();
        elseList = { type: "list", pos: tok.pos, nodes: [control(context)] };
      } else {
        [elseList, tok, kind] = itemList();
        if (kind !== "end") fail(`expected end; found {{else}}`);
      }
    }
    vars.length = mark;
    const node: BranchNode = { type: context, pos: pipe.pos, pipe, list, elseList };
    if (context === "range") node.elemIface = true;
    return node;
  };

  const templateName = (tok: Token, context: string): string => {
    if (tok.t === T.String || tok.t === T.RawString) return unquote(tok);
    return unexpected(tok, context);
  };

  const blockControl = (): TemplateNode => {
    const context = "block clause";
    const tok = nextNonSpace();
    const blockName = templateName(tok, context);
    const pipe = pipeline(context, T.RightDelim);
    inTree(blockName, () => {
      const [root, , kind] = itemList();
      if (kind !== "end") fail(`unexpected {{else}} in ${context}`);
      return root;
    });
    return { type: "template", pos: tok.pos, name: blockName, pipe };
  };

  const templateControl = (): TemplateNode => {
    const context = "template clause";
    const tok = nextNonSpace();
    const tname = templateName(tok, context);
    let pipe: PipeNode | null = null;
    if (nextNonSpace().t !== T.RightDelim) {
      backup();
      pipe = pipeline(context, T.RightDelim);
    }
    return { type: "template", pos: tok.pos, name: tname, pipe };
  };

  const command = (): CommandNode => {
    const cmd: CommandNode = { type: "command", pos: peekNonSpace().pos, args: [] };
    for (;;) {
      peekNonSpace();
      const op = operand();
      if (op !== null) cmd.args.push(op);
      const tok = next();
      if (tok.t === T.Space) continue;
      if (tok.t === T.RightDelim || tok.t === T.RightParen) backup();
      else if (tok.t !== T.Pipe) unexpected(tok, "operand");
      break;
    }
    if (cmd.args.length === 0) fail("empty command");
    return cmd;
  };

  const operand = (): ArgNode | null => {
    const node = term();
    if (node === null) return null;
    if (peek().t !== T.Field) return node;
    const pos = peek().pos;
    const fields: string[] = [];
    while (peek().t === T.Field) fields.push(next().val.slice(1));
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
        return fail(`unexpected . after term ${goQ(nodeString(node))}`);
      default:
        return { type: "chain", pos, node, field: fields };
    }
  };

  const term = (): ArgNode | null => {
    const tok = nextNonSpace();
    switch (tok.t) {
      case T.Identifier:
        if (!hasFunction(tok.val)) fail(`function ${goQ(tok.val)} not defined`);
        return { type: "identifier", pos: tok.pos, name: tok.val };
      case T.Dot:
        return { type: "dot", pos: tok.pos };
      case T.Nil:
        return { type: "nil", pos: tok.pos };
      case T.Variable:
        return useVar(tok.pos, tok.val);
      case T.Field:
        return { type: "field", pos: tok.pos, ident: tok.val.slice(1).split(".") };
      case T.Bool:
        return { type: "bool", pos: tok.pos, value: tok.val === "true" };
      case T.CharConstant:
        try {
          return { type: "number", pos: tok.pos, text: tok.val, value: unquoteChar(tok.val) };
        } catch (e) {
          return fail(e instanceof Error ? e.message : "invalid syntax");
        }
      case T.Complex:
      case T.Number:
        try {
          return { type: "number", pos: tok.pos, text: tok.val, value: parseNumber(tok.val).value };
        } catch (e) {
          return fail(e instanceof Error ? e.message : "invalid syntax");
        }
      case T.LeftParen:
        return pipeline("parenthesized pipeline", T.RightParen);
      case T.String:
      case T.RawString:
        return { type: "string", pos: tok.pos, quoted: tok.val, text: unquote(tok) };
    }
    backup();
    return null;
  };

  // Top level: the main template, with {{define}} blocks parsed into their own trees.
  vars = [{ name: "$", slot: 0, iface: false }];
  slots = 1;
  const root: ListNode = { type: "list", pos: peek().pos, nodes: [] };
  while (peek().t !== T.EOF) {
    if (peek().t === T.LeftDelim) {
      const save = idx;
      next();
      if (nextNonSpace().t === T.Define) {
        const context = "define clause";
        const tok = nextNonSpace();
        if (tok.t !== T.String && tok.t !== T.RawString) unexpected(tok, context);
        const defName = unquote(tok);
        expect(T.RightDelim, context);
        const outer = { vars, slots };
        inTree(defName, () => {
          const [list, , kind] = itemList();
          if (kind !== "end") fail(`unexpected {{else}} in ${context}`);
          return list;
        });
        ({ vars, slots } = outer);
        continue;
      }
      idx = save;
    }
    const r = textOrAction();
    if (r.kind !== "node") fail(`unexpected {{${r.kind}}}`);
    else root.nodes.push(r.node);
  }
  addTree({ name, root, slots });
  return trees;
}

function isEmptyList(list: ListNode): boolean {
  return list.nodes.every((n) => {
    if (n.type === "text") return n.text.trim() === "";
    if (n.type === "list") return isEmptyList(n);
    return false;
  });
}
