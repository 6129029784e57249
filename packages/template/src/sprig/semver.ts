/**
 * sprig's semver and semverCompare with Masterminds/semver v3 parsing and constraint rules, at
 * v3.4.0 (what sprig v3.3.0 resolves to under KubeStash's go.mod).
 */

import type { FuncMap } from "../functions.js";
import { GoFuncError } from "../go/call-error.js";
import { argString } from "./args.js";
import { LinearRegExp } from "./re2.js";

// Masterminds' patterns, matched by RE2 as in Go (linear time: a long version string cannot stall).
export const VERSION_RE = new LinearRegExp(
  String.raw`^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$`,
);
export const CV = String.raw`v?([0-9|xX*]+)(\.[0-9|xX*]+)?(\.[0-9|xX*]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const CONSTRAINT_RE = new LinearRegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
export const RANGE_RE = new LinearRegExp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`);
const FIND_RE = new LinearRegExp(String.raw`(${OPS})\s*(${CV})`);
const VALID_RE = new LinearRegExp(
  String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`,
);

/**
 * A parsed semantic version; prints (Go `%v`) as Masterminds' `Version.String()`.
 *
 * @example
 * ```ts
 * parseSemver("v1.2").goString(); // "1.2.0"
 * ```
 */
export class SemverVersion {
  constructor(
    readonly Major: number,
    readonly Minor: number,
    readonly Patch: number,
    readonly Prerelease: string,
    readonly Metadata: string,
    readonly Original: string,
  ) {
    Object.freeze(this);
  }

  goString(): string {
    return `${this.Major}.${this.Minor}.${this.Patch}${this.Prerelease === "" ? "" : `-${this.Prerelease}`}${
      this.Metadata === "" ? "" : `+${this.Metadata}`
    }`;
  }

  toString(): string {
    return this.goString();
  }

  /** Masterminds' MarshalJSON: the version as a JSON string. */
  toJSON(): string {
    return this.goString();
  }
}

export class SemverError extends Error {}

const UINT64_MAX = 2n ** 64n - 1n;

/**
 * Masterminds semver.NewVersion (v3.4.0's coerceNewVersion: lenient "v" prefix, missing
 * minor/patch; the lower-case messages of v3.4.0).
 */
export function parseSemver(v: string): SemverVersion {
  const m = VERSION_RE.exec(v);
  if (m === null) throw new SemverError("invalid semantic version");
  const pre = m[5] ?? "";
  const meta = m[8] ?? "";
  const num = (s: string | undefined) => {
    const text = (s ?? "0").replace(/^\./, "");
    if (BigInt(text) > UINT64_MAX) {
      throw new SemverError(
        `error parsing version segment: strconv.ParseUint: parsing "${text}": value out of range`,
      );
    }
    return Number(text);
  };
  const [major, minor, patch] = [num(m[1]), num(m[2]), num(m[3])];
  if (pre !== "") {
    for (const p of pre.split(".")) {
      if (/^\d+$/.test(p) && p.length > 1 && p.startsWith("0"))
        throw new SemverError("version segment starts with 0");
    }
  }
  return new SemverVersion(major, minor, patch, pre, meta, v);
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === "") return o !== "" ? -1 : 1;
  if (o === "") return 1;
  const sn = /^\d+$/.test(s);
  const on = /^\d+$/.test(o);
  if (!sn && !on) return s > o ? 1 : -1;
  if (!on) return -1;
  if (!sn) return 1;
  return Number(s) > Number(o) ? 1 : -1;
}

function comparePrerelease(a: string, b: string): number {
  const x = a.split(".");
  const y = b.split(".");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = comparePrePart(x[i] ?? "", y[i] ?? "");
    if (d !== 0) return d;
  }
  return 0;
}

/** Version.Compare: -1, 0 or 1 (metadata ignored). */
export function compareSemver(a: SemverVersion, b: SemverVersion): number {
  for (const k of ["Major", "Minor", "Patch"] as const) {
    if (a[k] !== b[k]) return a[k] > b[k] ? 1 : -1;
  }
  if (a.Prerelease === b.Prerelease) return 0;
  if (a.Prerelease === "") return 1;
  if (b.Prerelease === "") return -1;
  return comparePrerelease(a.Prerelease, b.Prerelease);
}

/** One parsed constraint (Masterminds' constraint struct). */
export interface Constraint {
  readonly op: string;
  readonly con: SemverVersion;
  readonly dirty: boolean;
  readonly minorDirty: boolean;
  readonly patchDirty: boolean;
}

const isX = (s: string | undefined) => s === "x" || s === "X" || s === "*";

/** How a Masterminds/semver version parses a constraint's version. */
export interface ConstraintRules {
  /** v3: `1.2` is `1.2.x`; v1: it is exactly 1.2.0. */
  readonly emptyPatchIsDirty: boolean;
  readonly parse: (version: string) => SemverVersion;
  /** The message when a constraint's version does not parse. */
  readonly parserError: string;
}

const V3_RULES: ConstraintRules = {
  emptyPatchIsDirty: true,
  parse: parseSemver,
  parserError: "constraint parser error",
};

function parseConstraint(c: string): Constraint {
  if (c.length === 0)
    return { op: "", con: parseSemver("0.0.0"), dirty: true, minorDirty: false, patchDirty: false };
  return parseConstraintWith(c, V3_RULES);
}

/** parseConstraint: the operator, and the version with `x`/missing parts made 0 and marked dirty. */
export function parseConstraintWith(c: string, rules: ConstraintRules): Constraint {
  const m = CONSTRAINT_RE.exec(c);
  if (m === null) throw new SemverError(`improper constraint: ${c}`);
  const [major, minor = "", patch = "", pre = ""] = [m[3], m[4], m[5], m[6]];
  let ver = m[2] ?? "";
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major) || major === "") {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minor.replace(/^\./, "")) || minor === "") {
    minorDirty = dirty = true;
    ver = `${major}.0.0${pre}`;
  } else if (isX(patch.replace(/^\./, "")) || (patch === "" && rules.emptyPatchIsDirty)) {
    patchDirty = dirty = true;
    ver = `${major}${minor}.0${pre}`;
  }
  let con: SemverVersion;
  try {
    con = rules.parse(ver);
  } catch {
    throw new SemverError(rules.parserError);
  }
  return { op: m[1] ?? "", con, dirty, minorDirty, patchDirty };
}

function tilde(v: SemverVersion, c: Constraint): boolean {
  if (compareSemver(v, c.con) < 0) return false;
  if (c.con.Major === 0 && c.con.Minor === 0 && c.con.Patch === 0 && !c.minorDirty && !c.patchDirty)
    return true;
  if (v.Major !== c.con.Major) return false;
  return !(v.Minor !== c.con.Minor && !c.minorDirty);
}

/**
 * One constraint function of constraints.go (v3.4.0). A prerelease version satisfies nothing unless
 * its AND group names a prerelease somewhere (`includePre`), whatever the operator.
 */
function check(v: SemverVersion, c: Constraint, includePre: boolean): boolean {
  const cv = c.con;
  if (v.Prerelease !== "" && !includePre) return false;
  switch (c.op) {
    case "":
    case "=":
      return c.dirty ? tilde(v, c) : compareSemver(v, cv) === 0;
    case "!=":
      if (c.dirty) {
        if (cv.Major !== v.Major) return true;
        if (cv.Minor !== v.Minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (cv.Patch !== v.Patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.Prerelease !== "" || cv.Prerelease !== "")
            return comparePrerelease(v.Prerelease, cv.Prerelease) !== 0;
          return false;
        }
      }
      return compareSemver(v, cv) !== 0;
    case ">":
      if (!c.dirty) return compareSemver(v, cv) === 1;
      if (v.Major !== cv.Major) return v.Major > cv.Major;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.Minor > cv.Minor;
      return compareSemver(v, cv) === 1;
    case "<":
      return compareSemver(v, cv) < 0;
    case ">=":
    case "=>":
      return compareSemver(v, cv) >= 0;
    case "<=":
    case "=<":
      if (!c.dirty) return compareSemver(v, cv) <= 0;
      if (v.Major > cv.Major) return false;
      return !(v.Major === cv.Major && v.Minor > cv.Minor && !c.minorDirty);
    case "~":
    case "~>":
      return tilde(v, c);
    default: {
      // "^"
      if (compareSemver(v, cv) < 0) return false;
      if (cv.Major > 0 || c.minorDirty) return v.Major === cv.Major;
      if (v.Major > 0) return false;
      if (cv.Minor > 0 || c.patchDirty) return v.Minor === cv.Minor;
      if (v.Minor > 0) return false;
      return cv.Patch === v.Patch;
    }
  }
}

/** Masterminds semver.NewConstraint: "||" of comma/space-separated constraints, with "a - b" ranges. */
export function parseConstraints(text: string): Constraint[][] {
  // rewriteRange (v3.4.0) leaves a space after the range, so a constraint may follow it directly.
  let rewritten = "";
  let last = 0;
  for (const m of RANGE_RE.all(text)) {
    rewritten += `${text.slice(last, m.index)}>= ${m[1]}, <= ${m[11]} `;
    last = m.index + (m[0] ?? "").length;
  }
  rewritten += text.slice(last);
  return rewritten.split("||").map((part) => {
    if (!VALID_RE.test(part)) throw new SemverError(`improper constraint: ${part}`);
    const found = FIND_RE.all(part).map((m) => m[0] ?? "");
    return (found.length === 0 ? [part] : found).map(parseConstraint);
  });
}

function semverCompare(constraint: unknown, version: unknown): boolean {
  const c = argString(constraint);
  const v = argString(version);
  try {
    const cs = parseConstraints(c);
    const ver = parseSemver(v);
    return cs.some((and) => {
      // Constraints.Check: prereleases count when any constraint of the group names one.
      const includePre = and.some((k) => k.con.Prerelease !== "");
      return and.every((k) => check(ver, k, includePre));
    });
  } catch (e) {
    if (e instanceof SemverError) throw new GoFuncError(e.message, { cause: e });
    throw e;
  }
}

/** The semver family of sprig's function map. */
export const semverFunctions: FuncMap = {
  semver: (v) => {
    try {
      return parseSemver(argString(v));
    } catch (e) {
      if (e instanceof SemverError) throw new GoFuncError(e.message, { cause: e });
      throw e;
    }
  },
  semverCompare,
};
