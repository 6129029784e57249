/** `quiesce validate <file...>`: text or JSON report, exit 1 on any error. */
import { globalRegistry } from "@quiesce/functions";
import "@quiesce/functions/builtins";
import { readText, splitDocuments } from "./documents.js";
import { type CliIO, EXIT_FAILED, EXIT_OK } from "./io.js";
import type { DocumentReport, Finding } from "./validate.js";
import { validateDocument } from "./validate.js";

/** Options of the validate command. */
export interface ValidateCommandOptions {
  files: readonly string[];
  json: boolean;
  strict: boolean;
  allowMissingFunctions: boolean;
}

/** Runs the command; returns the exit code. */
export async function validateCommand(opts: ValidateCommandOptions, io: CliIO): Promise<number> {
  const reports: DocumentReport[] = [];
  for (const file of opts.files) {
    let text: string;
    try {
      text = await readText(file, io.cwd);
    } catch (err) {
      reports.push({
        file,
        document: 0,
        status: "invalid",
        errors: [{ path: "", message: (err as Error).message, kind: "file" }],
        warnings: [],
      });
      continue;
    }
    const docs = splitDocuments(file, text);
    if (docs.length === 0) {
      reports.push({
        file,
        document: 0,
        status: "invalid",
        errors: [{ path: "", message: "no YAML document in file", kind: "file" }],
        warnings: [],
      });
    }
    for (const doc of docs) {
      reports.push(
        validateDocument(doc, {
          registry: globalRegistry(),
          allowMissingFunctions: opts.allowMissingFunctions,
        }),
      );
    }
  }
  const errors = reports.reduce((n, r) => n + r.errors.length, 0);
  const warnings = reports.reduce((n, r) => n + r.warnings.length, 0);
  const ok = errors === 0 && (!opts.strict || warnings === 0);
  if (opts.json) {
    io.stdout.write(
      `${JSON.stringify({ ok, summary: summaryCounts(reports, errors, warnings), documents: reports }, null, 2)}\n`,
    );
  } else {
    io.stdout.write(formatReports(reports, errors, warnings));
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}

function summaryCounts(reports: DocumentReport[], errors: number, warnings: number) {
  return {
    documents: reports.length,
    valid: reports.filter((r) => r.status === "valid").length,
    invalid: reports.filter((r) => r.status === "invalid").length,
    unsupported: reports.filter((r) => r.status === "unsupported").length,
    errors,
    warnings,
  };
}

/** The text report: one line per document, its errors, then its warnings, then a summary line. */
export function formatReports(reports: DocumentReport[], errors: number, warnings: number): string {
  const lines: string[] = [];
  for (const r of reports) {
    const what = r.kind ? `${r.kind}${r.name ? ` ${r.name}` : ""}` : "document";
    const where = r.document > 0 ? `${r.file}#${r.document}` : r.file;
    const verdict = r.status === "valid" ? "ok" : r.status === "invalid" ? "INVALID" : "skipped";
    lines.push(`${verdict.padEnd(7)} ${where}  ${what}`);
    for (const e of r.errors) lines.push(`  error    ${formatFinding(r, e)}`);
    for (const w of r.warnings) lines.push(`  warning  ${formatFinding(r, w)}`);
  }
  const s = summaryCounts(reports, errors, warnings);
  lines.push(
    "",
    `${s.documents} document(s): ${s.valid} valid, ${s.invalid} invalid, ${s.unsupported} unsupported; ` +
      `${errors} error(s), ${warnings} warning(s)`,
  );
  return `${lines.join("\n")}\n`;
}

/** `file#document:line path: message` — every finding names where it is. */
function formatFinding(r: DocumentReport, f: Finding): string {
  const where = `${r.file}${r.document > 0 ? `#${r.document}` : ""}${f.line !== undefined ? `:${f.line}` : ""}`;
  const path = f.path && f.path !== "(root)" ? `${f.path}: ` : "";
  return `${where} ${path}${f.message}`;
}
