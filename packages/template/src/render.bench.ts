/**
 * Go-template throughput on a typical Blueprint argument set (paths, index, toDate | date, toJson, a
 * range, a shell script block): renders and compiles per CPU-second, next to the same templates
 * measured the same way in Go text/template + sprig (fixtures/go-bench.json, recorded by
 * tools/go-fixtures/record.sh --bench). Goal: at least twice as fast as Go.
 */

import { readFileSync } from "node:fs";
import { compile } from "./index.js";

interface BenchCase {
  readonly name: string;
  readonly template: string;
  readonly data: unknown;
}
interface GoBench {
  readonly goVersion: string;
  readonly date: string;
  readonly results: readonly {
    name: string;
    rendersPerSec: number;
    compilesPerSec: number;
    parsesPerSec?: number;
  }[];
}

const fixtures = new URL("../fixtures/", import.meta.url);
const cases = JSON.parse(readFileSync(new URL("bench-cases.json", fixtures), "utf8")) as BenchCase[];
const go = JSON.parse(readFileSync(new URL("go-bench.json", fixtures), "utf8")) as GoBench;

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.$bytes === "string") return new Uint8Array(Buffer.from(o.$bytes, "base64"));
    return Object.fromEntries(Object.entries(o).map(([k, e]) => [k, decode(e)]));
  }
  return v;
}

/**
 * Best operations per CPU-second of five ~200 ms windows of the process's CPU time after a warm-up:
 * CPU time, as the Go recorder measures, so other load on a shared machine does not count.
 */
function opsPerSec(fn: () => void): number {
  for (let i = 0; i < 2000; i++) fn();
  globalThis.gc?.();
  let best = 0;
  for (let w = 0; w < 5; w++) {
    let n = 0;
    const start = process.cpuUsage();
    let elapsed = 0;
    while (elapsed < 200_000_000) {
      for (let i = 0; i < 100; i++) fn();
      n += 100;
      const used = process.cpuUsage(start);
      elapsed = (used.user + used.system) * 1000;
    }
    best = Math.max(best, (n * 1e9) / elapsed);
  }
  return best;
}

const fmt = (n: number | undefined) => (n === undefined ? "-" : Math.round(n).toLocaleString("en-US"));
const ratio = (ours: number, theirs: number | undefined) =>
  theirs === undefined ? "-" : `${(ours / theirs).toFixed(2)}×`;

const rows: string[][] = [];
let sink = 0;
for (const c of cases) {
  const data = decode(c.data);
  const compiled = compile(c.template, { name: c.name });
  const expected = compiled.render(data);
  const renders = opsPerSec(() => {
    sink += compiled.render(data).length;
  });
  const compiles = opsPerSec(() => {
    sink += compile(c.template, { name: c.name }).render === undefined ? 0 : 1;
  });
  if (compiled.render(data) !== expected) throw new Error(`${c.name}: output changed between renders`);
  const g = go.results.find((r) => r.name === c.name);
  rows.push([
    c.name,
    fmt(renders),
    fmt(g?.rendersPerSec),
    ratio(renders, g?.rendersPerSec),
    fmt(compiles),
    fmt(g?.compilesPerSec),
    ratio(compiles, g?.compilesPerSec),
    fmt(g?.parsesPerSec),
    ratio(compiles, g?.parsesPerSec),
  ]);
}

const header = [
  "template",
  "renders/s ours",
  "renders/s Go",
  "ratio",
  "compiles/s ours",
  "compiles/s Go",
  "ratio",
  "parses/s Go",
  "ratio",
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
console.log(
  `Go text/template + sprig baseline: ${go.goVersion}, recorded ${go.date}; operations per CPU-second (Go compiles include Funcs(sprig.TxtFuncMap()), as Kanister builds each template; Go parses start from a template whose functions are already loaded)`,
);
console.log(line(header));
for (const r of rows) console.log(line(r));
if (sink < 0) console.log(sink);
