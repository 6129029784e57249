/** sprig's list functions: list, first/rest/last/initial, append/prepend, uniq, without, has, slice, chunk… */

import type { FuncMap, TemplateFunction } from "../functions.js";
import { GoFuncError } from "../go/call-error.js";
import { sliceLike } from "../go/typed.js";
import { argInt, CAST, checkSize, isList, listItems, reflectKind } from "./args.js";
import { deepEqual, isEmpty } from "./equality.js";

const NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference";

/** Calls `f` on the items of a list, or fails as sprig does for a value that is not one. */
function onList<T>(v: unknown, what: string, f: (items: unknown[]) => T): T {
  if (v === null || v === undefined) throw new GoFuncError(NIL_DEREF);
  if (!isList(v)) throw new GoFuncError(`${what} ${reflectKind(v)}`);
  return f(listItems(v));
}

function chunk(sizeIn: unknown, list: unknown): unknown[][] {
  const size = argInt(sizeIn);
  return onList(list, "Cannot chunk type", (items) => {
    if (size <= 0) throw new GoFuncError("runtime error: makeslice: len out of range");
    const out: unknown[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  });
}

/** sprig's `slice` with its index conversion (sprig's toInt: cast in v3, reflect in v2.22). */
export function sliceListWith(toInt64: (v: unknown) => number) {
  return (list: unknown, ...indices: unknown[]): unknown => sliceList(toInt64, list, ...indices);
}

function sliceList(toInt64: (v: unknown) => number, list: unknown, ...indices: unknown[]): unknown {
  return onList(list, "list should be type of slice or array but", (items) => {
    if (items.length === 0) return null;
    const start = indices.length > 0 ? toInt64(indices[0]) : 0;
    const end = indices.length < 2 ? items.length : toInt64(indices[1]);
    if (start < 0 || end > items.length || start > end) {
      throw new GoFuncError("reflect.Value.Slice: slice index out of range");
    }
    // reflect's Slice keeps the slice's type ([]string stays []string).
    return list instanceof Uint8Array
      ? list.slice(start, end)
      : sliceLike(list as unknown[], items.slice(start, end));
  });
}

/** sprig's untilStep: integers from start toward stop by step (empty when the step points away). */
export function untilStep(start: number, stop: number, step: number): number[] {
  const v: number[] = [];
  if (stop < start) {
    if (step >= 0) return v;
    checkSize("untilStep", Math.ceil((start - stop) / -step) * 8);
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0) return v;
  checkSize("untilStep", Math.ceil((stop - start) / step) * 8);
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

function seq(...params: unknown[]): string {
  const p = params.map(argInt);
  const join = (xs: number[]) => xs.join(" ");
  if (p.length === 1) {
    const end = p[0] ?? 0;
    const inc = end < 1 ? -1 : 1;
    return join(untilStep(1, end + inc, inc));
  }
  if (p.length === 2) {
    const [start = 0, end = 0] = p;
    const step = end < start ? -1 : 1;
    return join(untilStep(start, end + step, step));
  }
  if (p.length === 3) {
    const [start = 0, step = 0, end = 0] = p;
    let inc = 1;
    if (end < start) {
      inc = -1;
      if (step > 0) return "";
    }
    return join(untilStep(start, end + inc, step));
  }
  return "";
}

const listFunctionsBase: Record<string, TemplateFunction> = {
  list: (...v) => v,
  tuple: (...v) => v,
  append: (list, v) => onList(list, "Cannot push on type", (items) => [...items, v]),
  prepend: (list, v) => onList(list, "Cannot prepend on type", (items) => [v, ...items]),
  chunk,
  last: (list) =>
    onList(list, "Cannot find last on type", (items) => (items.length === 0 ? null : items.at(-1))),
  first: (list) =>
    onList(list, "Cannot find first on type", (items) => (items.length === 0 ? null : items[0])),
  rest: (list) => onList(list, "Cannot find rest on type", (items) => items.slice(1)),
  initial: (list) => onList(list, "Cannot find initial on type", (items) => items.slice(0, -1)),
  reverse: (list) => onList(list, "Cannot find reverse on type", (items) => items.reverse()),
  compact: (list) => onList(list, "Cannot compact on type", (items) => items.filter((x) => !isEmpty(x))),
  uniq: (list) =>
    onList(list, "Cannot find uniq on type", (items) => {
      const out: unknown[] = [];
      for (const x of items) if (!out.some((y) => deepEqual(x, y))) out.push(x);
      return out;
    }),
  without: (list, ...omit) =>
    onList(list, "Cannot find without on type", (items) =>
      items.filter((x) => !omit.some((o) => deepEqual(x, o))),
    ),
  has: (needle, haystack) => {
    if (haystack === null || haystack === undefined) return false;
    return onList(haystack, "Cannot find has on type", (items) => items.some((x) => deepEqual(needle, x)));
  },
  slice: sliceListWith(CAST.toInt64),
  concat: (...lists) => {
    const out: unknown[] = [];
    for (const l of lists) {
      if (l === null || l === undefined) throw new GoFuncError(NIL_DEREF);
      if (!isList(l)) throw new GoFuncError(`Cannot concat type ${reflectKind(l)} as list`);
      out.push(...listItems(l));
    }
    return out;
  },
  until: (count) => {
    const n = argInt(count);
    return untilStep(0, n, n < 0 ? -1 : 1);
  },
  untilStep: (start, stop, step) => untilStep(argInt(start), argInt(stop), argInt(step)),
  seq,
};

/** The list family of sprig's function map (with the must* twins, which fail the same way here). */
export const listFunctions: FuncMap = {
  ...listFunctionsBase,
  push: listFunctionsBase.append as TemplateFunction,
  mustAppend: listFunctionsBase.append as TemplateFunction,
  mustPush: listFunctionsBase.append as TemplateFunction,
  mustPrepend: listFunctionsBase.prepend as TemplateFunction,
  mustChunk: chunk,
  mustLast: listFunctionsBase.last as TemplateFunction,
  mustFirst: listFunctionsBase.first as TemplateFunction,
  mustRest: listFunctionsBase.rest as TemplateFunction,
  mustInitial: listFunctionsBase.initial as TemplateFunction,
  mustReverse: listFunctionsBase.reverse as TemplateFunction,
  mustCompact: listFunctionsBase.compact as TemplateFunction,
  mustUniq: listFunctionsBase.uniq as TemplateFunction,
  mustWithout: listFunctionsBase.without as TemplateFunction,
  mustHas: listFunctionsBase.has as TemplateFunction,
  mustSlice: sliceListWith(CAST.toInt64),
};
