import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { expect, it } from "vitest";

// The pages a user reads (README, docs/, the packages', examples' and tools' READMEs) point at
// each other and at files of this repository: every relative link must reach a file (and, with an
// #anchor, a heading of that page), and every repository path named in backticks must exist.
const root = resolve(import.meta.dirname, "../../..");

function pages(): string[] {
  const out = ["README.md", "CHANGELOG.md"];
  for (const name of readdirSync(join(root, "docs"))) if (name.endsWith(".md")) out.push(`docs/${name}`);
  for (const dir of ["packages", "examples", "tools"])
    for (const name of readdirSync(join(root, dir)))
      if (existsSync(join(root, dir, name, "README.md"))) out.push(`${dir}/${name}/README.md`);
  return out;
}

// Text outside fenced code blocks, where links and paths are prose.
const prose = (page: string) => readFileSync(join(root, page), "utf8").replace(/^```[\s\S]*?^```/gm, "");

// GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered.
function anchors(page: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of prose(page).matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const slug = (heading ?? "")
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_\- ]/gu, "")
      .replaceAll(" ", "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

it("every relative link of the docs reaches a file, and its anchor a heading", () => {
  const broken: string[] = [];
  for (const page of pages()) {
    for (const [, link] of prose(page).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (link === undefined || /^[a-z]+:/.test(link)) continue;
      const [path = "", anchor] = link.split("#");
      const target = path === "" ? page : relative(root, join(root, dirname(page), path));
      if (!existsSync(join(root, target))) broken.push(`${page}: ${link}`);
      else if (anchor && target.endsWith(".md") && !anchors(target).has(anchor))
        broken.push(`${page}: ${link} (no such heading)`);
    }
  }
  expect(broken).toEqual([]);
});

// A path is this repository's when its first folder below the top one exists here (the docs also
// cite other projects' sources, such as client-go's tools/clientcmd); docs/api is generated.
const ours = (path: string) => {
  const [top, below = ""] = path.split("/");
  return top === "docs" ? !below.startsWith("api") : existsSync(join(root, top ?? "", below));
};

it("every repository path the docs name in backticks exists", () => {
  const missing: string[] = [];
  for (const page of pages()) {
    for (const [, path] of prose(page).matchAll(/`((?:packages|docs|examples|tools|scripts)\/[\w./-]+)`/g)) {
      if (path !== undefined && ours(path) && !existsSync(join(root, path))) missing.push(`${page}: ${path}`);
    }
  }
  expect(missing).toEqual([]);
});
