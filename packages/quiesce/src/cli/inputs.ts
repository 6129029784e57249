/** File arguments as `kubectl apply -f` takes them: files, directories (with -R, recursively) and `-` (stdin). */
import { readdir, readFile, stat } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { QuiesceError } from "@quiesce/core";
import { type CliIO, UsageError } from "./io.js";

/** The extensions read from a directory (cli-runtime pkg/resource/builder.go FileExtensions). */
export const FILE_EXTENSIONS = [".json", ".yaml", ".yml"] as const;

/** One input read: its name as shown in messages (`-` is `<stdin>`) and its text. */
export interface InputText {
  name: string;
  text: string;
  error?: undefined;
}

/** A path that could not be read, reported in its place so the others are still processed. */
export interface InputFailure {
  name: string;
  error: QuiesceError;
}

/** Options of {@link readInputs}. */
export interface ReadInputsOptions {
  /** Descend into subdirectories (`-R`); otherwise only a directory's own files are read. */
  recursive: boolean;
}

/**
 * Expands and reads the inputs, in order (a failure takes the place of what it could not read). cli-runtime pkg/resource (Builder.FilenameParam, Path,
 * ExpandPathsToFileVisitors): `-` reads standard input (once only); a directory yields its
 * `.json`/`.yaml`/`.yml` files in lexical order — its subdirectories only with `recursive` — and
 * a directory without any is an error; a file named explicitly is read whatever its extension;
 * a path that does not exist is an error naming it.
 */
export async function readInputs(
  specs: readonly string[],
  io: Pick<CliIO, "cwd" | "stdin">,
  options: ReadInputsOptions,
): Promise<Array<InputText | InputFailure>> {
  if (specs.filter((s) => s === "-").length > 1) {
    throw new UsageError("standard input cannot be used for multiple arguments");
  }
  const inputs: Array<InputText | InputFailure> = [];
  for (const spec of specs) {
    if (spec === "-") {
      inputs.push({ name: "<stdin>", text: await readStdin(io.stdin) });
      continue;
    }
    if (/^https?:\/\//.test(spec)) {
      inputs.push({
        name: spec,
        error: fileError(`cannot read ${spec}: URLs are not fetched; download the file first`),
      });
      continue;
    }
    const path = isAbsolute(spec) ? spec : resolve(io.cwd, spec);
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch (cause) {
      const missing = (cause as NodeJS.ErrnoException).code === "ENOENT";
      inputs.push({
        name: spec,
        error: fileError(
          missing
            ? `the path "${spec}" does not exist`
            : `the path "${spec}" cannot be accessed: ${(cause as Error).message}`,
          cause,
        ),
      });
      continue;
    }
    const files = isDir ? await listDirectory(spec, path, options.recursive) : [{ name: spec, path }];
    if (isDir && files.length === 0) {
      inputs.push({
        name: spec,
        error: fileError(
          `error reading ${spec}: recognized file extensions are ${FILE_EXTENSIONS.join(", ")}`,
        ),
      });
      continue;
    }
    for (const file of files) {
      try {
        inputs.push({ name: file.name, text: await readFile(file.path, "utf8") });
      } catch (cause) {
        inputs.push({
          name: file.name,
          error: fileError(`cannot read ${file.name}: ${(cause as Error).message}`, cause),
        });
      }
    }
  }
  return inputs;
}

/** Like {@link readInputs}, but the first failure is thrown (commands that need every input). */
export async function readAllInputs(
  specs: readonly string[],
  io: Pick<CliIO, "cwd" | "stdin">,
  options: ReadInputsOptions,
): Promise<InputText[]> {
  const inputs = await readInputs(specs, io, options);
  const texts: InputText[] = [];
  for (const input of inputs) {
    if (input.error) throw input.error;
    texts.push(input);
  }
  return texts;
}

async function listDirectory(
  shown: string,
  path: string,
  recursive: boolean,
): Promise<Array<{ name: string; path: string }>> {
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const out: Array<{ name: string; path: string }> = [];
  for (const entry of entries) {
    const child = { name: join(shown, entry.name), path: join(path, entry.name) };
    if (entry.isDirectory()) {
      if (recursive) out.push(...(await listDirectory(child.name, child.path, true)));
    } else if (FILE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) {
      out.push(child);
    }
  }
  return out;
}

async function readStdin(stdin: CliIO["stdin"]): Promise<string> {
  if (!stdin) throw new UsageError("standard input is not available");
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

function fileError(message: string, cause?: unknown): QuiesceError {
  return new QuiesceError("QUIESCE_CLI_FILE", message, cause === undefined ? {} : { cause });
}
