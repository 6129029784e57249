/**
 * The `kanister` function set: sprig v2.22.0's TxtFuncMap (Kanister's go.mod pin) wrapped by
 * Kanister's pkg/ksprig (fipsonly_sprig.go), built from sprig v3's functions: the 61 functions v3
 * added removed, and the ones whose v2.22 behaviour differs replaced.
 */
import type { TemplateFunction } from "../functions.js";
import { GoFuncError } from "../go/call-error.js";
import { argInt, argString } from "./args.js";
import { toCamelCaseV1, toLowerCaseWordsV1 } from "./case-words-v1.js";
import { conversionFunctionsWith } from "./conversions.js";
import { mergeWith } from "./dicts.js";
import { sliceListWith } from "./lists.js";
import { mathFunctionsWith } from "./math.js";
import { semverV1Functions } from "./semver-v1.js";
import { utf8 } from "./text.js";
import { SPRIG_V2_NUMBERS } from "./v2-numbers.js";

/**
 * The functions sprig v3 added (v2.22.0 functions.go genericMap against v3.3.0's, KubeStash's pin):
 * "not defined" in Kanister.
 */
export const SPRIG_V3_ONLY: ReadonlySet<string> = new Set([
  "add1f",
  "addf",
  "all",
  "any",
  "bcrypt",
  "chunk",
  "dig",
  "divf",
  "duration",
  "durationRound",
  "fromJson",
  "genCAWithKey",
  "genSelfSignedCertWithKey",
  "genSignedCertWithKey",
  "get",
  "htpasswd",
  "maxf",
  "minf",
  "mulf",
  "mustAppend",
  "mustChunk",
  "mustCompact",
  "mustDateModify",
  "mustDeepCopy",
  "mustFirst",
  "mustFromJson",
  "mustHas",
  "mustInitial",
  "mustLast",
  "mustMerge",
  "mustMergeOverwrite",
  "mustPrepend",
  "mustPush",
  "mustRegexFind",
  "mustRegexFindAll",
  "mustRegexMatch",
  "mustRegexReplaceAll",
  "mustRegexReplaceAllLiteral",
  "mustRegexSplit",
  "mustRest",
  "mustReverse",
  "mustSlice",
  "mustToDate",
  "mustToJson",
  "mustToPrettyJson",
  "mustToRawJson",
  "mustUniq",
  "mustWithout",
  "must_date_modify",
  "osBase",
  "osClean",
  "osDir",
  "osExt",
  "osIsAbs",
  "randBytes",
  "randInt",
  "regexQuoteMeta",
  "seq",
  "sha512sum",
  "subf",
  "toRawJson",
]);

/** ksprig's UnsupportedSprigUsageErr. */
function fipsRefusal(usage: string): GoFuncError {
  return new GoFuncError(`sprig usage of '${usage}' is not allowed by kanister as it is not FIPS compatible`);
}

/** A function Kanister has that quiesce does not run: it exists (templates parse) but fails if called. */
function notProvided(name: string, why: string): TemplateFunction {
  return () => {
    throw new GoFuncError(`${name} is not provided by quiesce (${why})`);
  };
}

const KEYS = "key and certificate generation is not provided";

/** sprig v2.22's trunc: a negative length slices out of range (v3 counts from the end instead). */
function truncV2(c: unknown, s: unknown): string {
  const n = argInt(c);
  const b = utf8(argString(s));
  if (b.length <= n) return b.toString();
  if (n < 0) throw new GoFuncError(`runtime error: slice bounds out of range [:${n}]`);
  return b.subarray(0, n).toString();
}

/** What Kanister's function map has in place of sprig v3's (before the arity wrapper). */
export const kanisterOverrides: Readonly<Record<string, TemplateFunction>> = {
  ...conversionFunctionsWith(SPRIG_V2_NUMBERS),
  ...mathFunctionsWith(SPRIG_V2_NUMBERS),
  ...semverV1Functions,
  slice: sliceListWith(SPRIG_V2_NUMBERS.toInt64),
  trunc: truncV2,
  // github.com/imdario/mergo v0.3.12 under sprig v2.22 (merge is the same in both).
  mergeOverwrite: mergeWith(true, "v0.3"),
  snakecase: (s) => toLowerCaseWordsV1(argString(s), "_"),
  kebabcase: (s) => toLowerCaseWordsV1(argString(s), "-"),
  camelcase: (s) => toCamelCaseV1(argString(s)),
  // Kanister pkg/ksprig/fipsonly_sprig.go replacements.
  derivePassword: (counter, passwordType, password, user, site) => {
    void [counter, passwordType, password, user, site];
    throw fipsRefusal("derivePassword");
  },
  genPrivateKey: (typ) => {
    const t = argString(typ);
    // ksprig lets rsa, ecdsa and ed25519 through to sprig v2.22, which knows no ed25519.
    if (t === "ed25519") return "Unknown type ed25519";
    if (t === "rsa" || t === "ecdsa")
      throw new GoFuncError(`genPrivateKey is not provided by quiesce (${KEYS})`);
    throw fipsRefusal(`genPrivateKey for ${t}`);
  },
  buildCustomCert: notProvided("buildCustomCert", KEYS),
  genCA: notProvided("genCA", KEYS),
  genSelfSignedCert: notProvided("genSelfSignedCert", KEYS),
  genSignedCert: notProvided("genSignedCert", KEYS),
  getHostByName: notProvided("getHostByName", "templates do not reach the network"),
};

/** Arity of the functions Kanister has and sprig v3's table does not name (ksprig's signatures). */
export const KANISTER_ARITY: Readonly<Record<string, string>> = {
  derivePassword: "5",
  genPrivateKey: "1",
  buildCustomCert: "2",
  genCA: "2",
  genSelfSignedCert: "4",
  genSignedCert: "5",
  getHostByName: "1",
};
