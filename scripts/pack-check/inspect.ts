/** Checks of the packed tarballs themselves: what a registry would publish. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** The fields every published package.json carries. */
const REQUIRED = [
  "name",
  "version",
  "description",
  "license",
  "repository",
  "homepage",
  "bugs",
  "keywords",
  "sideEffects",
  "engines",
  "files",
  "exports",
] as const;

interface Manifest {
  name: string;
  license?: string;
  repository?: { url?: string };
  exports?: unknown;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** Every `"source"` condition left in an exports map. */
function sourceConditions(value: unknown, path = "exports"): string[] {
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === "source" ? [`${path}.source`] : sourceConditions(v, `${path}[${JSON.stringify(k)}]`),
  );
}

/**
 * Unpacks each tarball under `into` and returns the problems found: missing files or fields, a
 * `source` export condition, workspace specifiers, source maps whose sources are neither shipped
 * nor inlined, a LICENSE that differs from the repository's.
 */
export function inspectTarballs(
  tarballs: readonly string[],
  into: string,
  license: string,
  repository: string,
): string[] {
  const problems: string[] = [];
  for (const tarball of tarballs) {
    const dir = join(into, relative("/", tarball).replaceAll("/", "_"));
    mkdirSync(dir, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", dir]);
    const root = join(dir, "package");
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Manifest;
    const where = manifest.name;
    for (const field of REQUIRED)
      if (manifest[field] === undefined) problems.push(`${where}: package.json has no ${field}`);
    if (manifest.repository?.url !== repository)
      problems.push(`${where}: repository.url is not ${repository}`);
    for (const path of sourceConditions(manifest.exports))
      problems.push(`${where}: published ${path} (src is not published)`);
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {}))
      if (range.startsWith("workspace:")) problems.push(`${where}: dependency ${dep} is still ${range}`);
    for (const file of ["README.md", "LICENSE"])
      if (!existsSync(join(root, file))) problems.push(`${where}: ${file} is not in the package`);
    if (existsSync(join(root, "LICENSE")) && readFileSync(join(root, "LICENSE"), "utf8") !== license)
      problems.push(`${where}: LICENSE differs from the repository's`);
    const files = walk(root);
    if (!files.some((f) => f.endsWith(".d.ts"))) problems.push(`${where}: no type declarations`);
    for (const file of files.filter((f) => /\.(test|bench)\.(js|d\.ts)$/.test(f)))
      problems.push(`${where}: ships ${relative(root, file)}`);
    for (const map of files.filter((f) => f.endsWith(".map"))) {
      const parsed = JSON.parse(readFileSync(map, "utf8")) as {
        sources: string[];
        sourcesContent?: unknown[];
      };
      parsed.sources.forEach((source, i) => {
        const shipped = existsSync(join(map, "..", source));
        if (!shipped && typeof parsed.sourcesContent?.[i] !== "string")
          problems.push(
            `${where}: ${relative(root, map)} points at ${source}, which is neither shipped nor inlined`,
          );
      });
    }
  }
  return problems;
}
