/**
 * sprig v2.22's semver and semverCompare: Masterminds/semver v1.5.0 (Kanister's go.mod pin), whose
 * rules differ from v3's: constraints are only `,`-separated within `||` (a space-separated list is
 * an error), `1.2` is exactly 1.2.0, `^0.2.3` matches any 0.x ≥ 0.2.3, `<1` accepts 1.x, and a
 * prerelease segment may start with 0.
 */
import { chargeWork } from "../budget.js";
import type { FuncMap } from "../functions.js";
import { GoFuncError } from "../go/call-error.js";
import { argString } from "./args.js";
import {
  type Constraint,
  type ConstraintRules,
  compareSemver,
  parseConstraintWith,
  RANGE_RE,
  SemverError,
  SemverVersion,
  VERSION_RE,
} from "./semver.js";

/** version.go NewVersion (v1.5.0): no check of leading zeros in the prerelease. */
function parseVersion(v: string): SemverVersion {
  const m = VERSION_RE.exec(v);
  if (m === null) throw new SemverError("Invalid Semantic Version");
  const segment = (s: string | undefined): number => {
    const text = (s ?? "0").replace(/^\./, "");
    const n = BigInt(text);
    if (n > 9223372036854775807n) {
      throw new SemverError(
        `Error parsing version segment: strconv.ParseInt: parsing "${text}": value out of range`,
      );
    }
    return Number(n);
  };
  return new SemverVersion(segment(m[1]), segment(m[2]), segment(m[3]), m[5] ?? "", m[8] ?? "", v);
}

const V1_RULES: ConstraintRules = {
  emptyPatchIsDirty: false,
  parse: parseVersion,
  parserError: "constraint Parser Error",
};

/** constraints.go parseConstraint (v1.5.0): `1.2` is exactly 1.2.0. */
function parseConstraint(c: string): Constraint {
  return parseConstraintWith(c, V1_RULES);
}

function tilde(v: SemverVersion, c: Constraint): boolean {
  if (compareSemver(v, c.con) < 0) return false;
  if (c.con.Major === 0 && c.con.Minor === 0 && c.con.Patch === 0 && !c.minorDirty && !c.patchDirty)
    return true;
  if (v.Major !== c.con.Major) return false;
  return !(v.Minor !== c.con.Minor && !c.minorDirty);
}

/** The dirty `<`/`<=` rule of v1.5.0 (`<1` accepts every 1.x). */
function lessDirty(v: SemverVersion, c: Constraint): boolean {
  if (v.Major > c.con.Major) return false;
  return !(v.Minor > c.con.Minor && !c.minorDirty);
}

/** The constraint functions of constraints.go (v1.5.0). */
function check(v: SemverVersion, c: Constraint): boolean {
  // Every function but != (when not dirty) refuses a prerelease the constraint does not name.
  const pre = v.Prerelease !== "" && c.con.Prerelease === "";
  switch (c.op) {
    case "":
    case "=":
      if (pre) return false;
      return c.dirty ? tilde(v, c) : compareSemver(v, c.con) === 0;
    case "!=":
      if (!c.dirty) return compareSemver(v, c.con) !== 0;
      if (pre) return false;
      if (c.con.Major !== v.Major) return true;
      return c.con.Minor !== v.Minor && !c.minorDirty;
    case ">":
      return !pre && compareSemver(v, c.con) === 1;
    case "<":
      if (pre) return false;
      return c.dirty ? lessDirty(v, c) : compareSemver(v, c.con) < 0;
    case ">=":
    case "=>":
      return !pre && compareSemver(v, c.con) >= 0;
    case "<=":
    case "=<":
      if (pre) return false;
      return c.dirty ? lessDirty(v, c) : compareSemver(v, c.con) <= 0;
    case "~":
    case "~>":
      return !pre && tilde(v, c);
    default:
      // "^": the same major version, nothing more (v1.5.0 has no 0.x rules).
      return !pre && compareSemver(v, c.con) >= 0 && v.Major === c.con.Major;
  }
}

/** NewConstraint (v1.5.0): ranges rewritten, then `||` of `,`-separated constraints. */
function parseConstraints(text: string): Constraint[][] {
  let rewritten = text;
  const ranges = RANGE_RE.all(text);
  // rewriteRange: strings.Replace(o, v[0], t, 1) per range, each a scan of the whole text (as in Go).
  chargeWork(ranges.length * text.length);
  for (const m of ranges) {
    rewritten = rewritten.replace(m[0] ?? "", `>= ${m[1]}, <= ${m[11]}`);
  }
  return rewritten.split("||").map((or) => or.split(",").map(parseConstraint));
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SemverError) throw new GoFuncError(e.message, { cause: e });
    throw e;
  }
}

/** sprig v2.22's semver family (Masterminds/semver v1.5.0). */
export const semverV1Functions: FuncMap = {
  semver: (v) => wrap(() => parseVersion(argString(v))),
  semverCompare: (constraint, version) => {
    const c = argString(constraint);
    const v = argString(version);
    return wrap(() => {
      const cs = parseConstraints(c);
      const ver = parseVersion(v);
      return cs.some((and) => and.every((k) => check(ver, k)));
    });
  },
};
