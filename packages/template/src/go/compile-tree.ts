/** Compiles template trees (text, actions, if/with/range, template calls) into closures. */
import { ErrorCodes } from "@quiesce/core";
import type { TemplateFunction } from "../functions.js";
import {
  type BranchNode,
  type ListNode,
  type Node,
  nodeString,
  type TemplateNode,
  type Tree,
} from "./ast.js";
import { type Ctx, compilePipe } from "./compile-expr.js";
import type { State } from "./exec-state.js";
import { formatValue } from "./fmt.js";
import { GoPointer, GoStruct } from "./typed.js";
import { goTypeName, isGoInt, isMap, isTrue, ownKeys } from "./values.js";

/** A compiled statement. Returns 0 normally, 1 after {{break}}, 2 after {{continue}}. */
type Walk = (st: State, dot: unknown, f: unknown[]) => number;

/** One compiled template of a set. */
export interface CompiledTree {
  readonly name: string;
  readonly slots: number;
  readonly run: Walk;
}

/** Compiles every tree of a parsed source; `template` calls resolve by name at render time. */
export function compileTrees(
  trees: ReadonlyMap<string, Tree>,
  funcs: Readonly<Record<string, TemplateFunction>>,
): ReadonlyMap<string, CompiledTree> {
  const out = new Map<string, CompiledTree>();
  for (const [name, tree] of trees) {
    const run = compileList(tree.root, { funcs, dotIface: false }, out);
    out.set(name, { name, slots: tree.slots, run });
  }
  return out;
}

const done: Walk = () => 0;

function compileList(list: ListNode, ctx: Ctx, set: ReadonlyMap<string, CompiledTree>): Walk {
  const fns = list.nodes.map((n) => compileNode(n, ctx, set));
  if (fns.length === 0) return done;
  if (fns.length === 1) return fns[0]!;
  // Adjacent text nodes and actions run in order; a non-zero code stops the list.
  return (st, dot, f) => {
    for (let i = 0; i < fns.length; i++) {
      const r = fns[i]!(st, dot, f);
      if (r !== 0) return r;
    }
    return 0;
  };
}

function compileNode(node: Node, ctx: Ctx, set: ReadonlyMap<string, CompiledTree>): Walk {
  switch (node.type) {
    case "text": {
      const text = node.text;
      return (st) => {
        st.write(text);
        return 0;
      };
    }
    case "action": {
      const pipe = compilePipe(node.pipe, ctx);
      if (node.pipe.decl.length > 0) {
        return (st, dot, f) => {
          st.step(node);
          pipe(st, dot, f);
          return 0;
        };
      }
      return (st, dot, f) => {
        st.step(node);
        const v = pipe(st, dot, f);
        if (typeof v === "string") st.write(v);
        else if (v === null || v === undefined) st.write("<no value>");
        else if (typeof v === "function")
          st.fail(node, `can't print ${nodeString(node)} of type ${goTypeName(v)}`);
        else st.write(formatValue(indirect(v)));
        return 0;
      };
    }
    case "if":
    case "with":
      return compileIfWith(node, ctx, set);
    case "range":
      return compileRange(node, ctx, set);
    case "template":
      return compileTemplateCall(node, ctx, set);
    case "break":
      return () => 1;
    case "continue":
      return () => 2;
    case "list":
      return compileList(node, ctx, set);
  }
}

function compileIfWith(node: BranchNode, ctx: Ctx, set: ReadonlyMap<string, CompiledTree>): Walk {
  const pipe = compilePipe(node.pipe, ctx);
  const isWith = node.type === "with";
  const list = compileList(node.list, isWith ? { ...ctx, dotIface: false } : ctx, set);
  const elseList = node.elseList ? compileList(node.elseList, ctx, set) : null;
  return (st, dot, f) => {
    st.step(node);
    const v = pipe(st, dot, f);
    if (isTrue(v)) return list(st, isWith ? v : dot, f);
    return elseList ? elseList(st, dot, f) : 0;
  };
}

function compileRange(node: BranchNode, ctx: Ctx, set: ReadonlyMap<string, CompiledTree>): Walk {
  const pipe = compilePipe(node.pipe, ctx);
  const body = compileList(node.list, { ...ctx, dotIface: true }, set);
  const elseList = node.elseList ? compileList(node.elseList, ctx, set) : null;
  const decl = node.pipe.decl;
  const elemSlot = decl.length > 0 ? decl[decl.length - 1]!.slot : -1;
  const keySlot = decl.length > 1 ? decl[0]!.slot : -1;
  // Go reports a range error at the last node its pipeline evaluated.
  const lastCmd = node.pipe.cmds[node.pipe.cmds.length - 1]!;
  const errAt = lastCmd.args[lastCmd.args.length - 1]!;
  const one = (st: State, f: unknown[], key: unknown, elem: unknown): number => {
    st.step(node);
    if (elemSlot >= 0) f[elemSlot] = elem;
    if (keySlot >= 0) f[keySlot] = key;
    return body(st, elem, f);
  };
  return (st, dot, f) => {
    st.step(node);
    const v = pipe(st, dot, f);
    if (Array.isArray(v) || v instanceof Uint8Array) {
      if (v.length > 0) {
        for (let i = 0; i < v.length; i++) if (one(st, f, i, v[i]) === 1) break;
        return 0;
      }
    } else if (isMap(v)) {
      let keys: string[];
      try {
        keys = ownKeys(v);
      } catch (err) {
        // Listing and sorting the keys is charged: a limit it reaches is this range's.
        throw st.at(node, err);
      }
      if (keys.length > 0) {
        for (const k of keys) if (one(st, f, k, v[k]) === 1) break;
        return 0;
      }
    } else if (typeof v === "number" && isGoInt(v)) {
      if (keySlot >= 0) st.fail(node, `can't use ${v} to iterate over more than one variable`);
      if (v > 0) {
        for (let i = 0; i < v; i++) if (one(st, f, i, i) === 1) break;
        return 0;
      }
    } else if (v !== null && v !== undefined) {
      st.fail(errAt, `range can't iterate over ${formatValue(indirect(v))}`);
    }
    return elseList ? elseList(st, dot, f) : 0;
  };
}

/** text/template prints (and reports) the value a pointer points to (its printableValue/indirect). */
function indirect(v: unknown): unknown {
  if (v instanceof GoStruct) return v.pointer ? v.asPointer(false) : v;
  return v instanceof GoPointer ? v.value : v;
}

function compileTemplateCall(node: TemplateNode, ctx: Ctx, set: ReadonlyMap<string, CompiledTree>): Walk {
  const pipe = node.pipe ? compilePipe(node.pipe, ctx) : null;
  const name = node.name;
  return (st, dot, f) => {
    st.step(node);
    const t = set.get(name);
    if (t === undefined) return st.fail(node, `template ${JSON.stringify(name)} not defined`);
    if (st.depth >= st.limits.maxDepth) {
      st.fail(node, `exceeded maximum template depth (${st.limits.maxDepth})`, ErrorCodes.TEMPLATE_LIMIT);
    }
    const d = pipe ? pipe(st, dot, f) : undefined;
    const frame: unknown[] = new Array(t.slots);
    frame[0] = d;
    const saved = st.tmpl;
    st.tmpl = t.name;
    st.depth++;
    t.run(st, d, frame);
    st.depth--;
    st.tmpl = saved;
    return 0;
  };
}
