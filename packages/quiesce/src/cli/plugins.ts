/** `--import <module>`: loads plugin packages so the functions and executors they register exist. */
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { QuiesceError } from "@quiesce/core";

/**
 * Imports each module for its side effects (a plugin registers its functions when imported). A
 * path (`./plugin.js`, `/abs/x.js`) resolves against `cwd`; a package name resolves from `cwd`'s
 * node_modules.
 */
export async function importPlugins(specifiers: readonly string[], cwd: string): Promise<void> {
  for (const spec of specifiers) {
    let url: string;
    try {
      if (spec.startsWith(".") || isAbsolute(spec)) url = pathToFileURL(resolve(cwd, spec)).href;
      else url = pathToFileURL(createRequire(join(cwd, "package.json")).resolve(spec)).href;
      await import(url);
    } catch (cause) {
      throw new QuiesceError("QUIESCE_CLI_IMPORT", `cannot import ${spec}: ${(cause as Error).message}`, {
        cause,
      });
    }
  }
}
