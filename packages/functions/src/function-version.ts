/**
 * Function versions as Kanister reads them (pkg/kanister.go, pkg/phase.go): semantic versions of
 * Masterminds/semver v1.5.0, looked up by the version exactly as written.
 */

// Masterminds/semver v1.5.0 version.go SemVerRegex (a leading "v", minor and patch optional).
const SEMVER_V1 =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const INT64_MAX = 2n ** 63n - 1n;

/** A parsed version: major, minor, patch and prerelease (build metadata does not compare). */
export interface FunctionVersion {
  major: bigint;
  minor: bigint;
  patch: bigint;
  prerelease: string;
}

/**
 * Parses `text` as semver v1's NewVersion does; returns the error message it would give
 * (`Invalid Semantic Version`, or a segment out of int64 range) instead of throwing.
 */
export function parseFunctionVersion(text: string): FunctionVersion | string {
  const m = SEMVER_V1.exec(text);
  if (m === null) return "Invalid Semantic Version";
  const segments: bigint[] = [];
  for (const part of [m[1], m[2], m[3]]) {
    const digits = (part ?? "0").replace(/^\./, "");
    const value = BigInt(digits);
    if (value > INT64_MAX) {
      return `Error parsing version segment: strconv.ParseInt: parsing "${digits}": value out of range`;
    }
    segments.push(value);
  }
  const [major = 0n, minor = 0n, patch = 0n] = segments;
  return { major, minor, patch, prerelease: m[5] ?? "" };
}

/** True when `v` equals v0.0.0 as semver compares versions (so "0.0.0", "v0" and "0.0.0+b" do). */
export function isDefaultVersion(v: FunctionVersion): boolean {
  return v.major === 0n && v.minor === 0n && v.patch === 0n && v.prerelease === "";
}
