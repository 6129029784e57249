/**
 * The Node version check of the `quiesce` executable. It imports nothing, so it runs on any Node
 * before the modules that need a current one are loaded (on an older Node they fail at import,
 * e.g. undici with a TypeError, instead of saying what is wrong).
 */

/** The oldest Node the packages run on (`engines.node` of every package.json). */
export const MINIMUM_NODE = "22.19.0";

/** Why `version` (e.g. `process.versions.node`) cannot run quiesce, or undefined when it can. */
export function unsupportedNode(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split(".").map((part) => Number.parseInt(part, 10));
  const [needMajor = 0, needMinor = 0] = MINIMUM_NODE.split(".").map(Number);
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return undefined;
  return `needs Node.js >= ${MINIMUM_NODE.replace(/\.0$/, "")} (this is Node.js ${version})`;
}
