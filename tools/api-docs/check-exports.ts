/**
 * Finds the types that public signatures use but no entry point exports: a host can see such a type
 * in an editor but cannot name it. Reads the built declarations (dist/*.d.ts, where inferred types
 * are written out) of every published entry point, walks each exported declaration, and reports
 * every referenced type declared in a quiesce package that no entry point of any package exports.
 *
 *   node --import tsx tools/api-docs/check-exports.ts   (after the packages are built)
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";

const root = resolve(import.meta.dirname, "../..");

/** The built declaration file of every published entry point (package.json `publishConfig.exports`). */
function entryFiles(): string[] {
  return readdirSync(join(root, "packages")).flatMap((pkg) => {
    const manifest = JSON.parse(readFileSync(join(root, "packages", pkg, "package.json"), "utf8")) as {
      publishConfig?: { exports?: Record<string, { types?: string } | string> };
    };
    return Object.values(manifest.publishConfig?.exports ?? {}).flatMap((target) =>
      typeof target === "object" && target.types ? [join(root, "packages", pkg, target.types)] : [],
    );
  });
}

const entries = entryFiles();
const program = ts.createProgram(entries, {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2023,
  noEmit: true,
  skipLibCheck: true,
  types: ["node"],
});
const checker = program.getTypeChecker();
const ours = (file: string) => file.startsWith(join(root, "packages")) && !file.includes("node_modules");
const resolveAlias = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);

// Everything some entry point exports, under any name.
const exported = new Set<ts.Symbol>();
const publicDeclarations: Array<{ name: string; node: ts.Node }> = [];
for (const entry of entries) {
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`cannot read ${entry} (is the package built?)`);
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = resolveAlias(symbol);
    exported.add(target);
    for (const node of target.declarations ?? []) publicDeclarations.push({ name: symbol.name, node });
  }
}

const problems = new Map<string, Set<string>>();
function visit(node: ts.Node, owner: string): void {
  // Private members carry no type in declarations; nothing to name there.
  if (
    ts.canHaveModifiers(node) &&
    ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)
  )
    return;
  let at: ts.Node | undefined;
  if (ts.isTypeReferenceNode(node)) at = node.typeName;
  else if (ts.isExpressionWithTypeArguments(node)) at = node.expression;
  else if (ts.isImportTypeNode(node)) at = node.qualifier ?? undefined;
  else if (ts.isTypeQueryNode(node)) at = node.exprName;
  if (at) {
    const symbol = checker.getSymbolAtLocation(at);
    const target = symbol && resolveAlias(symbol);
    const declaration = target?.declarations?.[0];
    if (
      target &&
      declaration &&
      !(target.flags & ts.SymbolFlags.TypeParameter) &&
      ours(declaration.getSourceFile().fileName) &&
      !exported.has(target) &&
      // A member of an exported namespace or enum is reachable through it.
      !(target.parent && exported.has(target.parent))
    ) {
      const where = `${target.name} (${relative(root, declaration.getSourceFile().fileName)})`;
      if (!problems.has(where)) problems.set(where, new Set());
      problems.get(where)?.add(owner);
    }
  }
  ts.forEachChild(node, (child) => visit(child, owner));
}
for (const { name, node } of publicDeclarations) visit(node, name);

if (problems.size > 0) {
  process.stderr.write(`types used in public signatures but not exported (${problems.size}):\n`);
  for (const [type, users] of [...problems].sort())
    process.stderr.write(`  ${type}, used by ${[...users].sort().join(", ")}\n`);
  process.exit(1);
}
process.stdout.write(
  `exports: ${entries.length} entry points; every type their signatures use is exported\n`,
);
