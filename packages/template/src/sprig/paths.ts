/** sprig's path functions: Go's path.Base/Dir/Clean/Ext/IsAbs (and the os* forms, identical on Linux). */

import type { FuncMap } from "../functions.js";
import { argString } from "./args.js";

/** Go's path.Clean: lexical processing of ".", ".." and repeated slashes. */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = out.join("/");
  if (rooted) return `/${joined}`;
  return joined === "" ? "." : joined;
}

/** Go's path.Base. */
export function basePath(p: string): string {
  if (p === "") return ".";
  let end = p.length;
  while (end > 0 && p.charCodeAt(end - 1) === 47) end--;
  const trimmed = p.slice(0, end);
  if (trimmed === "") return "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** Go's path.Dir. */
export function dirPath(p: string): string {
  return cleanPath(p.slice(0, p.lastIndexOf("/") + 1));
}

/** Go's path.Ext. */
export function extPath(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== "/"; i--) if (p[i] === ".") return p.slice(i);
  return "";
}

const fns = {
  base: (p: unknown) => basePath(argString(p)),
  dir: (p: unknown) => dirPath(argString(p)),
  clean: (p: unknown) => cleanPath(argString(p)),
  ext: (p: unknown) => extPath(argString(p)),
  isAbs: (p: unknown) => argString(p).startsWith("/"),
};

/** The path family of sprig's function map. */
export const pathFunctions: FuncMap = {
  ...fns,
  osBase: fns.base,
  osDir: fns.dir,
  osClean: fns.clean,
  osExt: fns.ext,
  osIsAbs: fns.isAbs,
};
