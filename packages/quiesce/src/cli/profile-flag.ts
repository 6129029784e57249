/** `--profile namespace/name`: the Kanister Profile a Blueprint action (or Blueprint hook) sees as `.Profile`. */
import { UsageError } from "./io.js";

/** Parses `--profile namespace/name`. */
export function profileRef(value: string): { namespace: string; name: string } {
  const [namespace, name, extra] = value.split("/");
  if (!namespace || !name || extra !== undefined) {
    throw new UsageError(`--profile expects namespace/name, got "${value}"`);
  }
  return { namespace, name };
}
