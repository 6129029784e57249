/** sprig's urlParse and urlJoin with Go net/url's split into scheme, userinfo, host, path, query, fragment. */

import type { FuncMap } from "../functions.js";
import { GoFuncError } from "../go/call-error.js";
import { goTypeName, hasOwnKey } from "../go/values.js";
import { argMap, argString, reflectKind } from "./args.js";

function pathUnescape(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new GoFuncError(`unable to parse url: parse ${JSON.stringify(s)}: invalid URL escape`);
  }
}

function urlParse(raw: unknown): Record<string, unknown> {
  let rest = argString(raw);
  if ([...rest].some((c) => c.charCodeAt(0) < 0x20 || c === "\u007f")) {
    throw new GoFuncError(
      `unable to parse url: parse ${JSON.stringify(rest)}: net/url: invalid control character in URL`,
    );
  }
  let fragment = "";
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    fragment = pathUnescape(rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  let scheme = "";
  const sm = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (sm !== null) {
    scheme = (sm[1] ?? "").toLowerCase();
    rest = rest.slice(sm[0].length);
  }
  let query = "";
  const q = rest.indexOf("?");
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let opaque = "";
  let userinfo = "";
  let host = "";
  if (scheme !== "" && !rest.startsWith("/")) {
    opaque = rest;
    rest = "";
  } else if (rest.startsWith("//")) {
    const end = rest.indexOf("/", 2);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? "" : rest.slice(end);
    const at = authority.lastIndexOf("@");
    if (at >= 0) {
      userinfo = authority.slice(0, at);
      host = authority.slice(at + 1);
    } else host = authority;
  }
  const hostname = host.startsWith("[") ? host.slice(1, host.indexOf("]")) : host.replace(/:\d*$/, "");
  return {
    scheme,
    host,
    hostname,
    path: pathUnescape(rest),
    query,
    opaque,
    fragment,
    userinfo,
  };
}

function field(d: Record<string, unknown>, key: string): string {
  if (!hasOwnKey(d, key)) return "";
  const v = d[key];
  if (typeof v !== "string") {
    throw new GoFuncError(
      `unable to parse ${key} key, must be of type string, but ${v === null || v === undefined ? goTypeName(v) : reflectKind(v)} found`,
    );
  }
  return v;
}

const escapePath = (p: string) =>
  encodeURI(p).replace(/%5B/g, "[").replace(/%5D/g, "]").replace(/\?/g, "%3F");

function urlJoin(d: unknown): string {
  const m = argMap(d);
  const scheme = field(m, "scheme");
  const host = field(m, "host");
  const path = field(m, "path");
  const query = field(m, "query");
  const opaque = field(m, "opaque");
  const fragment = field(m, "fragment");
  const userinfo = field(m, "userinfo");
  let out = "";
  if (scheme !== "") out += `${scheme}:`;
  if (opaque !== "") out += opaque;
  else {
    if (scheme !== "" || host !== "" || userinfo !== "") {
      if (host !== "" || path !== "" || userinfo !== "") out += "//";
      if (userinfo !== "") out += `${userinfo}@`;
      out += host;
    }
    if (path !== "" && !path.startsWith("/") && host !== "") out += "/";
    out += escapePath(path);
  }
  if (query !== "") out += `?${query}`;
  if (fragment !== "") out += `#${encodeURIComponent(fragment).replace(/%2F/g, "/")}`;
  return out;
}

/** The URL family of sprig's function map. */
export const urlFunctions: FuncMap = { urlParse, urlJoin };
