import { describe, expect, it } from "vitest";
import { detectContentType, encodeForm, postBody, queryEscape } from "./http-body.js";

// kmodules.xyz/prober probe/http/http_post.go with Go's url.Values.Encode and gabriel-vasile/mimetype.

describe("the httpPost body as the prober builds it", () => {
  it("escapes as Go's url.QueryEscape and encodes a form as url.Values.Encode", () => {
    expect(queryEscape("a b&c=d*~é")).toBe("a+b%26c%3Dd%2A~%C3%A9");
    expect(encodeForm([{ key: "z", values: ["1"] }, { key: "a", values: ["x", "y"] }, { key: "e" }])).toBe(
      "a=x&a=y&z=1",
    );
  });

  it("detects the content type of the bodies hooks send", () => {
    expect(detectContentType('\n  {"blocks": [{"type": "section"}]}')).toBe("application/json");
    expect(detectContentType("[1, 2]")).toBe("application/json");
    // A single JSON string or number is not JSON to mimetype; broken JSON is text.
    expect(detectContentType('"done"')).toBe("text/plain; charset=utf-8");
    expect(detectContentType('{"text": ')).toBe("text/plain; charset=utf-8");
    expect(detectContentType("<html><body>done</body></html>")).toBe("text/html; charset=utf-8");
    expect(detectContentType('<?xml version="1.0"?><done/>')).toBe("text/xml; charset=utf-8");
    expect(detectContentType("backup done")).toBe("text/plain; charset=utf-8");
    expect(detectContentType("\u0000\u0001")).toBe("application/octet-stream");
  });

  it("a non-empty form wins over the body; an empty body sends none and sets no content type", () => {
    expect(postBody({ port: 80, form: [{ key: "a", values: ["1"] }] })).toEqual({
      body: "a=1",
      contentType: "application/x-www-form-urlencoded",
    });
    expect(postBody({ port: 80, form: [], body: "x" })).toEqual({
      body: "x",
      contentType: "text/plain; charset=utf-8",
    });
    expect(postBody({ port: 80 })).toEqual({ body: undefined, contentType: undefined });
  });
});
