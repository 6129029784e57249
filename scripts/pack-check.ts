/**
 * The pack-and-install check: builds and packs every package as a registry would publish it,
 * inspects the tarballs, installs them with npm into a throw-away ESM project and a CommonJS one,
 * type-checks both strictly (`skipLibCheck: false`), runs the README's example as written against a
 * local cluster, runs the CommonJS consumer, and checks the executable (including its refusal of an
 * older Node where the machine has one).
 *
 *   ./run pack-check            (keeps nothing; QUIESCE_PACK_KEEP=1 keeps the temporary folder)
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { inspectTarballs } from "./pack-check/inspect.js";

const root = resolve(import.meta.dirname, "..");
const here = join(root, "scripts", "pack-check");
const started = Date.now();
const work = mkdtempSync(join(tmpdir(), "quiesce-pack-"));
const tsc = join(root, "node_modules", ".bin", "tsc");
const problems: string[] = [];

function step(what: string): void {
  process.stdout.write(`pack-check: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} (in ${cwd}) exited ${result.status}:\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

/** The README's "A taste" example, exactly as written. */
function readmeExample(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## A taste"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error("README.md has no ts code block under ## A taste");
  return match[1];
}

const tsconfig = (extra: Record<string, unknown>) =>
  `${JSON.stringify(
    {
      compilerOptions: {
        target: "ES2023",
        lib: ["ES2023"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        skipLibCheck: false,
        types: ["node"],
        ...extra,
      },
      include: ["*.ts"],
    },
    null,
    2,
  )}\n`;

function consumer(name: string, type: "module" | "commonjs", tarballs: string[]): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name, private: true, type }, null, 2)}\n`);
  // As a product team would: npm, the tarballs as they would come from the registry, @types/node.
  run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--loglevel=error",
      ...tarballs,
      "@types/node@24",
    ],
    dir,
  );
  return dir;
}

try {
  step("building");
  run("pnpm", ["-r", "--filter", "./packages/*", "run", "build"], root);
  step("packing");
  const packed = join(work, "tarballs");
  mkdirSync(packed);
  run("pnpm", ["-r", "--filter", "./packages/*", "pack", "--pack-destination", packed], root);
  const tarballs = readdirSync(packed)
    .filter((f) => f.endsWith(".tgz"))
    .map((f) => join(packed, f));
  const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    repository: { url: string };
  };
  problems.push(
    ...inspectTarballs(
      tarballs,
      join(work, "unpacked"),
      readFileSync(join(root, "LICENSE"), "utf8"),
      rootManifest.repository.url,
    ),
  );
  step(`inspected ${tarballs.length} tarballs`);

  // Every published entry point, for the type-check of the ESM consumer.
  const entries = readdirSync(join(work, "unpacked")).flatMap((d) => {
    const manifest = JSON.parse(
      readFileSync(join(work, "unpacked", d, "package", "package.json"), "utf8"),
    ) as {
      name: string;
      exports: Record<string, unknown>;
    };
    return Object.keys(manifest.exports)
      .filter((k) => k !== "./package.json")
      .map((k) => (k === "." ? manifest.name : `${manifest.name}/${k.slice(2)}`));
  });

  const esm = consumer("esm-consumer", "module", tarballs);
  step("installed into an ESM project");
  writeFileSync(join(esm, "tsconfig.json"), tsconfig({ noEmit: true, allowImportingTsExtensions: true }));
  writeFileSync(join(esm, "taste.ts"), readmeExample());
  writeFileSync(
    join(esm, "entries.ts"),
    `${entries.map((e, i) => `import * as entry${i} from ${JSON.stringify(e)};`).join("\n")}\nconsole.log(${entries.map((_, i) => `entry${i}`).join(", ")});\n`,
  );
  run(tsc, ["-p", "."], esm);
  step(`type-checked the README example and ${entries.length} entry points (strict, skipLibCheck false)`);
  copyFileSync(join(here, "run-taste.mjs"), join(esm, "run-taste.mjs"));
  process.stdout.write(run(process.execPath, ["run-taste.mjs"], esm));
  step("ran the README example against a local cluster");
  // The published exports have no `source` condition: a host running with it still loads dist.
  run(
    process.execPath,
    ["--conditions=source", "-e", `await import("quiesce"); await import("@quiesce/testing");`],
    esm,
  );

  const bin = join(esm, "node_modules", ".bin", "quiesce");
  const version = run(bin, ["--version"], esm).trim();
  if (!/\d+\.\d+\.\d+/.test(version)) problems.push(`quiesce --version printed ${JSON.stringify(version)}`);
  const oldNode = ["/usr/bin/node", "/usr/local/bin/node"].find((path) => {
    if (!existsSync(path)) return false;
    const v = spawnSync(path, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim();
    const [major = 0, minor = 0] = v.split(".").map(Number);
    return major < 22 || (major === 22 && minor < 19);
  });
  if (oldNode) {
    const cli = join(esm, "node_modules", "quiesce", "dist", "cli.js");
    const old = spawnSync(oldNode, [cli, "--help"], { encoding: "utf8" });
    if (
      old.status === 0 ||
      !/^quiesce: needs Node\.js >= 22\.19 \(this is Node\.js [\d.]+\)\n$/.test(old.stderr)
    )
      problems.push(`quiesce on ${oldNode}: exit ${old.status}, stderr ${JSON.stringify(old.stderr)}`);
    else step(`quiesce on ${oldNode} refuses with: ${old.stderr.trim()}`);
  }

  const cjs = consumer("cjs-consumer", "commonjs", tarballs);
  step("installed into a CommonJS project");
  writeFileSync(join(cjs, "tsconfig.json"), tsconfig({ outDir: "dist" }));
  copyFileSync(join(here, "cjs-consumer.ts"), join(cjs, "index.ts"));
  run(tsc, ["-p", "."], cjs);
  const emitted = readFileSync(join(cjs, "dist", "index.js"), "utf8");
  if (!emitted.includes('require("quiesce")'))
    problems.push("the CommonJS consumer did not compile to require()");
  process.stdout.write(`CommonJS consumer: ${run(process.execPath, [join(cjs, "dist", "index.js")], cjs)}`);
  step("type-checked and ran the CommonJS consumer (require(esm))");
} catch (err) {
  problems.push((err as Error).message);
} finally {
  if (process.env.QUIESCE_PACK_KEEP) process.stdout.write(`pack-check: kept ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
}

if (problems.length > 0) {
  process.stderr.write(
    `pack-check: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join("\n")}\n`,
  );
  process.exit(1);
}
step("ok");
