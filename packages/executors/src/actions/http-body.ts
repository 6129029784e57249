/**
 * The request body of KubeStash's httpPost, as kmodules.xyz/prober probe/http/http_post.go builds
 * it: a `form` is sent url-encoded (Go's url.Values.Encode), else a non-empty `body` is sent with
 * the content type gabriel-vasile/mimetype detects — both replace a Content-Type header the hook
 * sets.
 */
import type { HttpPostAction } from "../action-schema.js";

/** What the prober sends: the body and the Content-Type it forces (if any). */
export interface PostBody {
  body: string | undefined;
  contentType: string | undefined;
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** Go's url.QueryEscape: spaces as `+`, everything but `A-Za-z0-9-_.~` percent-encoded (UTF-8). */
export function queryEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    if (ch === " ") out += "+";
    else if (UNRESERVED.test(ch)) out += ch;
    else
      for (const b of new TextEncoder().encode(ch))
        out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * Go's url.Values.Encode over the prober's toValues: one entry per key (a repeated key keeps the
 * last entry's values), keys sorted, each value `key=value`; a key without values sends nothing.
 */
export function encodeForm(form: NonNullable<HttpPostAction["form"]>): string {
  const values = new Map<string, readonly string[]>();
  for (const entry of form) values.set(entry.key, entry.values ?? []);
  const parts: string[] = [];
  for (const key of [...values.keys()].sort()) {
    for (const v of values.get(key) ?? []) parts.push(`${queryEscape(key)}=${queryEscape(v)}`);
  }
  return parts.join("&");
}

const HTML_TAGS = [
  "<!DOCTYPE HTML",
  "<HTML",
  "<HEAD",
  "<SCRIPT",
  "<IFRAME",
  "<H1",
  "<DIV",
  "<FONT",
  "<TABLE",
  "<A",
  "<STYLE",
  "<TITLE",
  "<B",
  "<BODY",
  "<BR",
  "<P",
];

// mimetype's markup(): after leading white space, a tag (case-insensitive) ended by space or '>'.
function markup(text: string, tags: readonly string[]): boolean {
  const s = text.replace(/^[\t\n\f\r ]+/, "");
  return tags.some((tag) => {
    if (s.length <= tag.length || s.slice(0, tag.length).toUpperCase() !== tag) return false;
    const next = s[tag.length];
    return next === " " || next === ">";
  });
}

function isJson(text: string): boolean {
  const s = text.replace(/^[\t\n\r ]+/, "");
  // "A single JSON string, number or bool is not considered JSON" (mimetype internal/magic/text.go).
  if (s.length < 2 || (s[0] !== "[" && s[0] !== "{")) return false;
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

// mimesniff's binary data bytes (mimetype's Text matcher): 0x00–0x08, 0x0B, 0x0E–0x1A, 0x1C–0x1F.
function hasBinaryByte(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x08 || c === 0x0b || (c >= 0x0e && c <= 0x1a) || (c >= 0x1c && c <= 0x1f)) return true;
  }
  return false;
}

/**
 * The content type mimetype detects for a hook body, for the kinds of bodies hooks send: JSON
 * objects and arrays, HTML, SVG, XML, other text, else binary. (mimetype knows many more formats;
 * a body in one of them gets the nearest of these.)
 */
export function detectContentType(body: string): string {
  if (hasBinaryByte(body)) return "application/octet-stream";
  if (markup(body, HTML_TAGS)) return "text/html; charset=utf-8";
  if (body.includes("<svg")) return "image/svg+xml";
  if (markup(body, ["<?XML"])) return "text/xml; charset=utf-8";
  if (isJson(body)) return "application/json";
  return "text/plain; charset=utf-8";
}

/** The prober's choice of body and Content-Type for an httpPost. */
export function postBody(spec: HttpPostAction): PostBody {
  if (spec.form !== undefined && spec.form.length > 0) {
    return { body: encodeForm(spec.form), contentType: "application/x-www-form-urlencoded" };
  }
  const body = spec.body ?? "";
  if (body.length > 0) return { body, contentType: detectContentType(body) };
  return { body: undefined, contentType: undefined };
}
