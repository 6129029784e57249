/**
 * Adversarial templates under the default limits: how long each render runs before it ends with
 * its coded error, and how much memory it took at its peak (each in a fresh process: its peak RSS
 * above the same process's before the render). Bounded rendering must end every one of them fast,
 * with QUIESCE_TEMPLATE_LIMIT, in little memory.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DEFAULT_LIMITS, render } from "./index.js";

const twelve = Array.from({ length: 12 }, (_, i) => `{{ $v${i} := until 16000000 }}`).join("");

/** Name → template. Each would build gigabytes or run for hours without bounds. */
const CASES: readonly (readonly [string, string])[] = [
  [
    'printf "% x" of 8 MB, 3 times',
    '{{ range until 3 }}{{ $_ := printf "% x" (repeat 8000000 "x") }}{{ end }}',
  ],
  ["12 × until 16000000", twelve],
  ["range 100 × repeat 1 MB", '{{ range until 100 }}{{ $_ := repeat 1000000 "x" }}{{ end }}'],
  ["doubling a string", '{{ $s := "x" }}{{ range until 64 }}{{ $s = print $s $s }}{{ end }}'],
  ["nested ranges 10^4 × 10^4", "{{ range 10000 }}{{ range 10000 }}{{ end }}{{ end }}"],
  ["uniq of 100,000", "{{ uniq (until 100000) | len }}"],
  ["sortAlpha of 1,000,000", "{{ until 1000000 | sortAlpha | len }}"],
  ["toJson of a list, 1000 times", "{{ $l := until 1000000 }}{{ range 1000 }}{{ $_ := toJson $l }}{{ end }}"],
  [
    "toJson of a 100,000-entry map, 1000 times",
    "{{ $m := dict }}{{ range until 100000 }}{{ $_ := set $m (toString .) . }}{{ end }}{{ range 1000 }}{{ $_ := toJson $m }}{{ end }}",
  ],
  ["regexReplaceAll over 8 MB", '{{ repeat 8000000 "a" | regexReplaceAll "a" "bb" | len }}'],
  ["b64enc chain", '{{ $s := repeat 1000000 "x" }}{{ range 100 }}{{ $s = b64enc $s }}{{ end }}'],
  ["semverCompare, 1 MB of spaces", '{{ semverCompare (print ">1" (repeat 1000000 " ") "x") "1.0.0" }}'],
  ["recursive template", '{{ define "t" }}{{ template "t" . }}{{ end }}{{ template "t" . }}'],
  [
    "indent of a large text, nested",
    '{{ $s := repeat 100000 "a\\n" }}{{ range 50 }}{{ $s = indent 4 $s }}{{ end }}',
  ],
];

interface Outcome {
  ms: number;
  code: string;
  peakRssMiB: number;
}

function runOne(index: number): Outcome {
  const [, source] = CASES[index]!;
  globalThis.gc?.();
  const before = process.resourceUsage().maxRSS;
  const start = performance.now();
  let code = "none";
  try {
    render(source, {});
  } catch (err) {
    code = (err as { code?: string }).code ?? `uncoded ${(err as Error).name}`;
  }
  const ms = performance.now() - start;
  const peak = process.resourceUsage().maxRSS;
  return { ms, code, peakRssMiB: (peak - before) / 1024 };
}

const only = process.env.QUIESCE_BOUNDS_CASE;
if (only !== undefined) {
  process.stdout.write(JSON.stringify(runOne(Number(only))));
} else {
  console.log(
    `Adversarial templates under DEFAULT_LIMITS (${DEFAULT_LIMITS.maxSteps} steps, ${DEFAULT_LIMITS.maxWorkBytes >> 20} MiB work, ${DEFAULT_LIMITS.maxValueBytes >> 20} MiB value, ${DEFAULT_LIMITS.maxOutputBytes >> 20} MiB output, ${DEFAULT_LIMITS.timeoutMs} ms), each in a fresh process`,
  );
  const rows: string[][] = [];
  let worstMs = 0;
  let worstRss = 0;
  for (let i = 0; i < CASES.length; i++) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, QUIESCE_BOUNDS_CASE: String(i) },
      encoding: "utf8",
    });
    const name = CASES[i]![0];
    if (child.status !== 0) {
      rows.push([name, "-", `exited ${child.status ?? child.signal}`, "-"]);
      continue;
    }
    const o = JSON.parse(child.stdout) as Outcome;
    worstMs = Math.max(worstMs, o.ms);
    worstRss = Math.max(worstRss, o.peakRssMiB);
    rows.push([name, o.ms.toFixed(0), o.code, o.peakRssMiB.toFixed(0)]);
  }
  const header = ["template", "ms to the error", "code", "peak RSS +MiB"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  console.log(`worst: ${worstMs.toFixed(0)} ms, ${worstRss.toFixed(0)} MiB of peak RSS above the process's`);
}
