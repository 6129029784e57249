/** Go text/template's parser: builds the trees of one source (main template plus define/block). */
import type { BranchNode, ListNode, Node, PipeNode, TemplateNode, Tree } from "./ast.js";
import { T, type Token } from "./lexer.js";
import { ExprParser, goQ } from "./parse-expr.js";

export { NestingLimitFailure, ParseFailure } from "./parse-expr.js";

type Item = { kind: "node"; node: Node } | { kind: "end" | "else"; tok: Token };

/** Statements, control structures and template definitions (the rest of Go's parse.Tree). */
class Parser extends ExprParser {
  readonly trees = new Map<string, Tree>();

  addTree(tree: Tree): void {
    const old = this.trees.get(tree.name);
    if (old === undefined || isEmptyList(old.root)) {
      this.trees.set(tree.name, tree);
      return;
    }
    if (!isEmptyList(tree.root)) this.fail(`template: multiple definition of template ${goQ(tree.name)}`);
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

  // An {{else if}} chain nests too: each link is parsed inside the previous one.
  control(context: "if" | "with" | "range"): BranchNode {
    return this.nested(() => this.controlAt(context));
  }

  private controlAt(context: "if" | "with" | "range"): BranchNode {
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
    return this.nested(() => this.blockControlAt());
  }

  private blockControlAt(): TemplateNode {
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
