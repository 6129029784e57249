/** Compiles pipelines, commands and operands into closures (Go's evalPipeline/evalCommand/evalArg). */
import { ErrorCodes } from "@quiesce/core";
import { BudgetExceeded, valueSize } from "../budget.js";
import type { TemplateFunction } from "../functions.js";
import { GoTime } from "../sprig/go-time.js";
import type { ArgNode, ChainNode, CommandNode, IdentifierNode, Node, PipeNode } from "./ast.js";
import { nodeString } from "./ast.js";
import { BUILTIN_ARITY, BUILTINS } from "./builtins.js";
import { GoArgError, GoFuncError } from "./call-error.js";
import { argumentsSize, Cost, costOf } from "./costs.js";
import { ExecFailure, MISSING, type State } from "./exec-state.js";
import {
  elemIsInterface,
  FieldCache,
  MethodCallError,
  mapElemZero,
  memberOf,
  NOT_OWN,
  structHasMember,
} from "./members.js";
import { GoNamed, GoNil, GoPointer, GoStruct, TYPED_MAP_PROTO } from "./typed.js";
import { goMethodOf, goTypeName, isTrue } from "./values.js";

/** A compiled expression: evaluates against dot and the template invocation's variable frame. */
export type Ev = (st: State, dot: unknown, f: unknown[]) => unknown;
/** A compiled command; `final` is the previous pipeline stage's value or MISSING. */
type Cmd = (st: State, dot: unknown, f: unknown[], final: unknown) => unknown;

/** What the compiler knows statically. */
export interface Ctx {
  funcs: Readonly<Record<string, TemplateFunction>>;
  /** True when dot is a container element (Go's static type `interface {}`) — e.g. inside range. */
  dotIface: boolean;
}

type AnyNode = ArgNode | CommandNode | Node;

/** Go's invalid reflect.Value from a missing key under missingkey=default (internal to chains). */
const NO_ENTRY: unique symbol = Symbol("no entry");

/** Evaluated method arguments (the command's operands after the first, then the pipeline's final). */
type MethodArgs = {
  argv: readonly Ev[];
  dot: unknown;
  f: unknown[];
  final: unknown;
} | null;

function methodArgs(st: State, a: MethodArgs): unknown[] {
  if (a === null) return [];
  const out: unknown[] = [];
  for (const ev of a.argv) out.push(ev(st, a.dot, a.f));
  if (a.final !== MISSING) out.push(a.final);
  return out;
}

/**
 * Where a receiver came from, for its static type (needed only to word errors): the container and
 * key it was read from, or a fixed answer for the chain's first receiver.
 */
const STATIC_IFACE: unique symbol = Symbol("interface {}");
const STATIC_CONCRETE: unique symbol = Symbol("concrete");

/** True when the receiver's static type is `interface {}` (computed on failure paths only). */
function isIface(from: unknown, key: string): boolean {
  if (from === STATIC_IFACE) return true;
  if (from === STATIC_CONCRETE) return false;
  return elemIsInterface(from, key);
}

/** The receiver's type as Go words it in errors (its static type): computed on those paths only. */
function recvTypeName(recv: unknown, from: unknown, fromKey: string): string {
  return isIface(from, fromKey) ? "interface {}" : goTypeName(recv);
}

/**
 * Go's evalField on one step of a chain. `from`/`fromKey`: where the receiver was read (see
 * {@link isIface}).
 * Maps (plain objects) yield their own data entries. Values built by template functions (class
 * instances) act as Go structs: their own enumerable data properties are fields, and methods are
 * reached only through the {@link GoMethodHost} protocol — never through JS prototypes.
 */
function field(
  st: State,
  node: AnyNode,
  recv: unknown,
  name: string,
  from: unknown,
  fromKey: string,
  hasArgs: boolean,
  args: MethodArgs,
  cache: FieldCache,
  step: number,
): unknown {
  if (typeof recv === "object" && recv !== null) {
    const proto = Object.getPrototypeOf(recv) as unknown;
    if ((proto === Object.prototype || proto === null || proto === TYPED_MAP_PROTO) && !Array.isArray(recv)) {
      if (hasArgs) st.fail(node, `${name} is not a method but has arguments`);
      const m = recv as Record<string, unknown>;
      // A typed map is frozen and holds only enumerable data properties (goValue defines them):
      // no descriptor to check. Plain data may hold getters, which are never called; a missing
      // key has no descriptor (one lookup, no allocation).
      if (proto === TYPED_MAP_PROTO) {
        if (Object.hasOwn(m, name)) return m[name];
      } else {
        const d = Object.getOwnPropertyDescriptor(m, name);
        if (d !== undefined && d.enumerable === true && "value" in d) return d.value;
      }
      // missingkey=zero yields the element type's zero value (nil for interface{}, "" for a
      // map[string]string); missingkey=default an invalid value.
      if (st.missingKey === "error")
        st.fail(node, `map has no entry for key "${name}"`, ErrorCodes.TEMPLATE_MISSING_KEY);
      return st.missingKey === "zero" ? mapElemZero(m) : NO_ENTRY;
    }
    if (recv instanceof GoStruct && !hasArgs) {
      const v = cache.read(recv, step, name);
      if (v !== NOT_OWN) return v;
    }
    if (
      recv instanceof GoStruct ||
      recv instanceof GoNil ||
      recv instanceof GoNamed ||
      recv instanceof GoPointer ||
      recv instanceof GoTime
    ) {
      return typedField(st, node, recv, name, from, fromKey, hasArgs, args);
    }
    if (!Array.isArray(recv) && !(recv instanceof Uint8Array)) {
      const method = goMethodOf(recv, name);
      if (method !== undefined) {
        const values = methodArgs(st, hasArgs ? args : null);
        try {
          return method(...values);
        } catch (err) {
          return callError(st, node, name, err);
        }
      }
      if (Object.hasOwn(recv, name)) {
        const d = Object.getOwnPropertyDescriptor(recv, name);
        if (d !== undefined && d.enumerable === true && "value" in d && typeof d.value !== "function") {
          if (hasArgs) st.fail(node, `${name} has arguments but cannot be invoked as function`);
          return d.value;
        }
      }
    }
  } else if (recv === null || recv === undefined) {
    if (isIface(from, fromKey)) st.fail(node, `nil pointer evaluating interface {}.${name}`);
    if (st.missingKey === "error")
      st.fail(node, `nil data; no entry for key "${name}"`, ErrorCodes.TEMPLATE_MISSING_KEY);
    return NO_ENTRY;
  }
  return st.fail(node, `can't evaluate field ${name} in type ${recvTypeName(recv, from, fromKey)}`);
}

/** Go's evalField on a struct, a pointer or a value of a defined type: methods first, then fields. */
function typedField(
  st: State,
  node: AnyNode,
  recv: GoStruct | GoNil | GoNamed | GoPointer | GoTime,
  name: string,
  from: unknown,
  fromKey: string,
  hasArgs: boolean,
  args: MethodArgs,
): unknown {
  if (recv instanceof GoNil) {
    const elem = recv.type.elem;
    if (elem.kind === "struct" && structHasMember(elem, name)) {
      st.fail(node, `nil pointer evaluating ${recvTypeName(recv, from, fromKey)}.${name}`);
    }
    return st.fail(node, `can't evaluate field ${name} in type ${recvTypeName(recv, from, fromKey)}`);
  }
  const m = memberOf(recv, name);
  if (m === undefined)
    return st.fail(node, `can't evaluate field ${name} in type ${recvTypeName(recv, from, fromKey)}`);
  if (m.kind === "method") {
    const values = methodArgs(st, hasArgs ? args : null);
    try {
      return m.call(...values);
    } catch (err) {
      return callError(st, node, name, err);
    }
  }
  if (!m.exported)
    st.fail(node, `${name} is an unexported field of struct type ${recvTypeName(recv, from, fromKey)}`);
  if (hasArgs) st.fail(node, `${name} has arguments but cannot be invoked as function`);
  return m.value;
}

function fieldChain(
  st: State,
  node: AnyNode,
  recv: unknown,
  ident: readonly string[],
  from: number,
  iface: boolean,
  hasArgs: boolean,
  args: MethodArgs,
  cache: FieldCache,
): unknown {
  let r = recv;
  let src: unknown = iface ? STATIC_IFACE : STATIC_CONCRETE;
  let srcKey = "";
  const last = ident.length - 1;
  for (let i = from; i < last; i++) {
    const prev = r;
    r = field(st, node, r, ident[i]!, src, srcKey, false, null, cache, i);
    // An invalid value (missingkey=default) stays invalid down the chain, without error.
    if (r === NO_ENTRY) return undefined;
    // The next receiver's static type: interface {} for plain data, the declared type otherwise.
    src = prev;
    srcKey = ident[i]!;
  }
  r = field(st, node, r, ident[last]!, src, srcKey, hasArgs, args, cache, last);
  return r === NO_ENTRY ? undefined : r;
}

function notAFunction(st: State, args: readonly ArgNode[], final: unknown, at: AnyNode = args[0]!): void {
  if (args.length > 1 || final !== MISSING) {
    st.fail(at, `can't give argument to non-function ${nodeString(args[0]!)}`);
  }
}

/** Compiles a pipeline: commands chained through `final`, then declarations/assignments. */
export function compilePipe(pipe: PipeNode, ctx: Ctx): Ev {
  const cmds = pipe.cmds.map((c) => compileCommand(c, ctx));
  const slots = pipe.decl.map((d) => d.slot);
  if (cmds.length === 1 && slots.length === 0) {
    const c = cmds[0]!;
    return (st, dot, f) => c(st, dot, f, MISSING);
  }
  return (st, dot, f) => {
    let v: unknown = MISSING;
    for (let i = 0; i < cmds.length; i++) v = cmds[i]!(st, dot, f, v);
    for (let i = 0; i < slots.length; i++) f[slots[i]!] = v;
    return v;
  };
}

function compileCommand(cmd: CommandNode, ctx: Ctx): Cmd {
  const args = cmd.args;
  const first = args[0]!;
  const rest = args.slice(1);
  const hasExtra = args.length > 1;
  // Arguments after a field are method arguments (only GoMethodHost values take them).
  const restv: readonly Ev[] =
    first.type !== "identifier" && rest.length > 0 ? rest.map((a) => compileArg(a, ctx)) : [];
  switch (first.type) {
    case "field": {
      const ident = first.ident;
      const iface = ctx.dotIface;
      const cache = new FieldCache();
      return (st, dot, f, final) => {
        st.step(first);
        const has = hasExtra || final !== MISSING;
        const args = has ? { argv: restv, dot, f, final } : null;
        return fieldChain(st, first, dot, ident, 0, iface, has, args, cache);
      };
    }
    case "chain": {
      const recv = compileChainReceiver(first, ctx);
      const errAt = lastEvaluated(first.node);
      const cache = new FieldCache();
      return (st, dot, f, final) => {
        st.step(first);
        const has = hasExtra || final !== MISSING;
        const args = has ? { argv: restv, dot, f, final } : null;
        return fieldChain(st, errAt, recv(st, dot, f), first.field, 0, false, has, args, cache);
      };
    }
    case "variable": {
      const { slot, ident, iface } = first;
      if (ident.length === 1) {
        return (st, _dot, f, final) => {
          notAFunction(st, args, final);
          return f[slot];
        };
      }
      const cache = new FieldCache();
      return (st, dot, f, final) => {
        st.step(first);
        const has = hasExtra || final !== MISSING;
        const args = has ? { argv: restv, dot, f, final } : null;
        return fieldChain(st, first, f[slot], ident, 1, iface, has, args, cache);
      };
    }
    case "identifier":
      return compileCall(first, cmd, rest, ctx);
    case "pipe": {
      const p = compilePipe(first, ctx);
      return (st, dot, f, final) => {
        notAFunction(st, args, final, cmd);
        return p(st, dot, f);
      };
    }
    case "nil":
      return (st) => st.fail(first, "nil is not a command");
    default: {
      const lit = compileArg(first, ctx);
      return (st, dot, f, final) => {
        notAFunction(st, args, final);
        return lit(st, dot, f);
      };
    }
  }
}

/** The node Go last evaluated in an operand: its errors name that node (Go's `s.at`). */
function lastEvaluated(n: ArgNode): ArgNode {
  if (n.type !== "pipe") return n;
  const cmd = n.cmds[n.cmds.length - 1]!;
  return lastEvaluated(cmd.args[cmd.args.length - 1]!);
}

function compileChainReceiver(chain: ChainNode, ctx: Ctx): Ev {
  if (chain.node.type === "nil") {
    return (st) => st.fail(chain, `indirection through explicit nil in ${nodeString(chain)}`);
  }
  return compileArg(chain.node, ctx);
}

/** Compiles an operand used as an argument (Go's evalArg for an empty-interface parameter). */
export function compileArg(n: ArgNode, ctx: Ctx): Ev {
  switch (n.type) {
    case "dot":
      return (_st, dot) => dot;
    case "nil":
      return () => null;
    case "bool": {
      const v = n.value;
      return () => v;
    }
    case "number": {
      if (n.overflow) return (st) => st.fail(n, `${n.text} overflows int`);
      const v = n.value;
      return () => v;
    }
    case "string": {
      const v = n.text;
      return () => v;
    }
    case "field": {
      const iface = ctx.dotIface;
      const cache = new FieldCache();
      return (st, dot) => fieldChain(st, n, dot, n.ident, 0, iface, false, null, cache);
    }
    case "variable": {
      const { slot, ident, iface } = n;
      if (ident.length === 1) return (_st, _dot, f) => f[slot];
      const cache = new FieldCache();
      return (st, _dot, f) => fieldChain(st, n, f[slot], ident, 1, iface, false, null, cache);
    }
    case "chain": {
      const recv = compileChainReceiver(n, ctx);
      const errAt = lastEvaluated(n.node);
      const cache = new FieldCache();
      return (st, dot, f) => fieldChain(st, errAt, recv(st, dot, f), n.field, 0, false, false, null, cache);
    }
    case "pipe":
      return compilePipe(n, ctx);
    case "identifier": {
      const c = compileCall(n, n, [], ctx);
      return (st, dot, f) => c(st, dot, f, MISSING);
    }
  }
}

function callError(st: State, node: AnyNode, name: string, err: unknown): never {
  if (err instanceof ExecFailure) throw err;
  // A limit reached inside the function (a value it would build, work it charged): at this call.
  if (err instanceof BudgetExceeded)
    throw new ExecFailure(err.reason, err.code, st.tmpl, node, { cause: err.cause });
  if (err instanceof MethodCallError) st.fail(node, err.message);
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    throw new ExecFailure("template nesting is too deep", ErrorCodes.TEMPLATE_LIMIT, st.tmpl, node, {
      cause: err,
    });
  }
  const msg = err instanceof Error ? err.message : String(err);
  throw new ExecFailure(`error calling ${name}: ${msg}`, ErrorCodes.TEMPLATE_EXEC, st.tmpl, node, {
    cause: err instanceof GoFuncError ? undefined : err,
  });
}

function compileCall(id: IdentifierNode, cmd: AnyNode, argNodes: readonly ArgNode[], ctx: Ctx): Cmd {
  const name = id.name;
  const user = Object.hasOwn(ctx.funcs, name) ? ctx.funcs[name] : undefined;
  const builtin = user === undefined && Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
  const argv = argNodes.map((a) => compileArg(a, ctx));
  const n = argv.length;
  const arity = user === undefined ? BUILTIN_ARITY[name] : undefined;
  const checkArity = (st: State, final: unknown): void => {
    if (arity === undefined) return;
    const numIn = n + (final !== MISSING ? 1 : 0);
    const [fixed, variadic] = arity;
    if (variadic) {
      if (numIn < fixed) st.fail(id, `wrong number of args for ${name}: want at least ${fixed} got ${n}`);
    } else if (numIn !== fixed) st.fail(id, `wrong number of args for ${name}: want ${fixed} got ${numIn}`);
  };
  if (user === undefined && (name === "and" || name === "or")) {
    const isOr = name === "or";
    return (st, dot, f, final) => {
      st.step(cmd);
      checkArity(st, final);
      let v: unknown;
      for (let i = 0; i < n; i++) {
        v = argv[i]!(st, dot, f);
        if (isTrue(v) === isOr) return v;
      }
      return final !== MISSING ? final : v;
    };
  }
  const fn = user ?? builtin;
  if (fn === undefined) return (st) => st.fail(id, `"${name}" is not a defined function`);
  const cost = costOf(name, user !== undefined);
  return (st, dot, f, final) => {
    st.step(cmd);
    checkArity(st, final);
    const values: unknown[] = new Array(final !== MISSING ? n + 1 : n);
    for (let i = 0; i < n; i++) values[i] = argv[i]!(st, dot, f);
    if (final !== MISSING) values[n] = final;
    // What it reads is charged before it runs: arguments too large for the budget are never scanned.
    if (cost === Cost.Scan || cost === Cost.Strings)
      st.charge(cmd, argumentsSize(values, cost === Cost.Strings));
    let r: unknown;
    try {
      r = fn(...values);
    } catch (err) {
      if (err instanceof GoArgError) return argError(st, err, id, argNodes, values);
      return callError(st, cmd, name, err);
    }
    if (cost !== Cost.Free) st.built(cmd, name, valueSize(r));
    return r;
  };
}

/** Reports a GoArgError as text/template reports a refused argument (at that argument's node). */
function argError(
  st: State,
  err: GoArgError,
  id: IdentifierNode,
  argNodes: readonly ArgNode[],
  values: unknown[],
): never {
  const i = err.argIndex;
  if (i === undefined || i < 0 || i >= values.length) return st.fail(id, err.message);
  const node = i < argNodes.length ? argNodes[i]! : id;
  let literal: { kind: "nil" | "literal"; text: string } | null = null;
  if (node.type === "nil") literal = { kind: "nil", text: "nil" };
  else if (node.type === "number" || node.type === "string" || node.type === "bool") {
    literal = { kind: "literal", text: nodeString(node) };
  }
  return st.fail(node, err.messageFor(literal, values[i], goTypeName(values[i])));
}
