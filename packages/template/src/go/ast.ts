/** Parse-tree nodes of a Go template, and their Go `String()` forms used in error contexts. */

/** A variable reference or declaration; `slot` indexes the template invocation's frame. */
export interface VariableNode {
  type: "variable";
  pos: number;
  ident: string[];
  slot: number;
  /** True when the variable holds a container element (Go's static type `interface {}`). */
  iface: boolean;
}
export interface FieldNode {
  type: "field";
  pos: number;
  ident: string[];
}
export interface ChainNode {
  type: "chain";
  pos: number;
  node: ArgNode;
  field: string[];
}
export interface IdentifierNode {
  type: "identifier";
  pos: number;
  name: string;
}
export interface DotNode {
  type: "dot";
  pos: number;
}
export interface NilNode {
  type: "nil";
  pos: number;
}
export interface BoolNode {
  type: "bool";
  pos: number;
  value: boolean;
}
export interface NumberNode {
  type: "number";
  pos: number;
  text: string;
  value: number | bigint;
  /** An integer literal above int64 (Go: "overflows int" when evaluated). */
  overflow?: boolean;
}
export interface StringNode {
  type: "string";
  pos: number;
  quoted: string;
  text: string;
}
export interface CommandNode {
  type: "command";
  pos: number;
  args: ArgNode[];
}
export interface PipeNode {
  type: "pipe";
  pos: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export type ArgNode =
  | VariableNode
  | FieldNode
  | ChainNode
  | IdentifierNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

export interface TextNode {
  type: "text";
  pos: number;
  text: string;
}
export interface ActionNode {
  type: "action";
  pos: number;
  pipe: PipeNode;
}
export interface BranchNode {
  type: "if" | "with" | "range";
  pos: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
  /** Range only: the body's dot is a container element. */
  elemIface?: boolean;
}
export interface TemplateNode {
  type: "template";
  pos: number;
  name: string;
  pipe: PipeNode | null;
}
export interface LoopControlNode {
  type: "break" | "continue";
  pos: number;
}
export interface ListNode {
  type: "list";
  pos: number;
  nodes: Node[];
}
export type Node = TextNode | ActionNode | BranchNode | TemplateNode | LoopControlNode | ListNode;

/** A parsed template body, with the number of variable slots its frame needs. */
export interface Tree {
  name: string;
  root: ListNode;
  slots: number;
}

/** Go's `Node.String()`, used as the `<context>` of execution errors. */
export function nodeString(n: ArgNode | CommandNode | Node): string {
  switch (n.type) {
    case "variable":
    case "field":
      return n.type === "field" ? `.${n.ident.join(".")}` : n.ident.join(".");
    case "chain":
      return `${n.node.type === "pipe" ? `(${nodeString(n.node)})` : nodeString(n.node)}.${n.field.join(".")}`;
    case "identifier":
      return n.name;
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "bool":
      return n.value ? "true" : "false";
    case "number":
      return n.text;
    case "string":
      return n.quoted;
    case "command":
      return n.args.map((a) => (a.type === "pipe" ? `(${nodeString(a)})` : nodeString(a))).join(" ");
    case "pipe": {
      let s = "";
      if (n.decl.length > 0) s = `${n.decl.map(nodeString).join(", ")} := `;
      return s + n.cmds.map(nodeString).join(" | ");
    }
    case "text":
      return n.text;
    case "action":
      return `{{${nodeString(n.pipe)}}}`;
    case "if":
    case "with":
    case "range":
      return `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}${
        n.elseList ? `{{else}}${nodeString(n.elseList)}` : ""
      }{{end}}`;
    case "template":
      return n.pipe
        ? `{{template ${JSON.stringify(n.name)} ${nodeString(n.pipe)}}}`
        : `{{template ${JSON.stringify(n.name)}}}`;
    case "break":
    case "continue":
      return `{{${n.type}}}`;
    case "list":
      return n.nodes.map(nodeString).join("");
  }
}
