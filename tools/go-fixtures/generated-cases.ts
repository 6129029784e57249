/** Generated differential cases: float/string encodings and every function against every data kind. */

import { SPRIG_ARITY } from "../../packages/template/src/sprig/arity.js";
import { add, group, values } from "./kit.js";

// Float formatting through toJson and printing, on fixed and pseudo-random values.
{
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const floats = [
    1.1,
    123.456,
    1e-7,
    5e-324,
    1.7976931348623157e308,
    0.000001,
    9.999999e-7,
    123456789012.345,
    -0.5,
    2.5e-5,
    1.0000000000000002,
    0.30000000000000004,
    Math.PI,
    6.02214076e23,
    1.602176634e-19,
    999999999999999.9,
  ];
  for (let i = 0; i < 24; i++)
    floats.push(
      Number(((rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20)).toPrecision(1 + Math.floor(rnd() * 16))),
    );
  const data = { f: floats.filter((x) => !Number.isInteger(x)) };
  data.f.forEach((_, i) => {
    add(
      `json-floats/${String(i + 1).padStart(2, "0")}`,
      `{{ index .f ${i} | toJson }} {{ index .f ${i} }} {{ printf "%v %g %e %.3f" (index .f ${i}) (index .f ${i}) (index .f ${i}) (index .f ${i}) }}`,
      data,
    );
  });
  const strings = [
    "plain",
    '<tag> & "q"',
    "\u0000\u001f\u007f",
    "\u2028\u2029",
    "emoji 😀 ✓",
    "\\back\\slash",
    "tab\tnl\ncr\r",
    "\ufeffbom",
    "\u00e9\u0301",
  ];
  add(
    "json-strings/all",
    '{{ range .s }}{{ toJson . }} {{ toRawJson . }} {{ quote . }} {{ printf "%q" . }}\n{{ end }}',
    { s: strings },
  );
}
// Every deterministic sprig function called with literal strings and with literal ints, with its
// own argument count, one more, and (variadic) two more: outputs or errors must agree with Go.
{
  const nondeterministic = new Set([
    "randAlphaNum",
    "randAlpha",
    "randAscii",
    "randNumeric",
    "randInt",
    "randBytes",
    "shuffle",
    "uuidv4",
    "now",
    "ago",
    "date",
    "dateInZone",
    "date_in_zone",
    "htmlDate",
    "htmlDateInZone",
    "encryptAES",
    "durationRound",
    "derivePassword",
    "htpasswd",
    "bcrypt",
    "genPrivateKey",
    "getHostByName",
    "env",
    "expandenv",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "buildCustomCert",
    "fail",
  ]);
  const strArgs = ['"2"', '"a-b_c D"', '"x,y"', '"1.5"', '"v1.2.3"'];
  const intArgs = ["2", "3", "1", "4", "0"];
  for (const [name, spec] of Object.entries(SPRIG_ARITY)) {
    if (nondeterministic.has(name)) continue;
    const n = Number.parseInt(spec, 10);
    const counts = spec.endsWith("+") ? [n, n + 2] : [n, n + 1];
    for (const count of counts) {
      for (const [kind, pool] of [
        ["s", strArgs],
        ["i", intArgs],
      ] as const) {
        const args = pool.slice(0, count).join(" ");
        add(`each-func/${name}/${kind}${count}`, `{{ ${name}${args === "" ? "" : ` ${args}`} }}`);
      }
    }
  }
}
// Every deterministic function with a data value of each kind as its last (piped) argument.
{
  // keys and values follow Go's random map order (they are tested through sortAlpha elsewhere).
  const skip = new Set([
    "keys",
    "values",
    "derivePassword",
    "htpasswd",
    "bcrypt",
    "genPrivateKey",
    "getHostByName",
    "env",
    "expandenv",
    "fail",
  ]);
  const random =
    /^(rand|shuffle|uuidv4|now|ago|date$|dateInZone|date_in_zone|htmlDate|encryptAES|durationRound|gen|buildCustomCert)/;
  const kinds = [
    ".list",
    ".m",
    ".b",
    ".nil",
    ".f",
    ".n",
    ".s",
    ".mixed",
    ".em",
    ".nested",
    ".t",
    ".uni",
    ".html",
    ".multi",
    ".spaced",
  ];
  for (const [name, spec] of Object.entries(SPRIG_ARITY)) {
    if (skip.has(name) || random.test(name)) continue;
    const n = Math.max(1, Number.parseInt(spec, 10));
    const lead = ['"2"', '"a-b_c D"', '"x,y"', '"1.5"'].slice(0, n - 1).join(" ");
    for (const k of kinds) {
      add(`each-kind/${name}/${k.slice(1)}`, `{{ ${k} | ${name}${lead === "" ? "" : ` ${lead}`} }}`, values);
    }
  }
}
group(
  "nil-maps",
  [
    '{{ merge .nil (dict "a" 1) }}|{{ mergeOverwrite .nil (dict "a" 1) (dict "b" 2) }}|{{ merge (dict "x" 1) .nil }}',
    '{{ set .nil "k" 1 }}',
    '{{ unset .nil "k" }}|{{ hasKey .nil "k" }}|{{ get .nil "k" }}|{{ pick .nil "a" }}|{{ omit .nil "a" }}|{{ keys .nil }}|{{ values .nil }}|{{ pluck "a" .nil }}',
    '{{ dig "a" "d" .nil }}',
    "{{ urlJoin .nil }}",
  ],
  values,
);
group(
  "unicode-strings",
  [
    '{{ wrap 6 "héllo wörld ✓ ok" }}|{{ wrapWith 4 "/" "ééé ü" }}|{{ wrap 3 "✓✓ ✓" }}',
    '{{ abbrev 8 "héllo wörld" }}|{{ trunc 6 "héllo wörld" }}|{{ substr 0 6 "héllo wörld" }}',
    '{{ initials "élan vital" }}|{{ nospace "é ü" }}|{{ nospace "éü" }}',
    '{{ title "ünïcode wörds" }}|{{ untitle "Élan Vital" }}|{{ swapcase "Élan ünï" }}',
    '{{ title "ǆemal ǳ x" }}|{{ swapcase "ǅ" }}',
    '{{ snakecase "ÉlanVital" }}|{{ camelcase "élan_vital" }}|{{ kebabcase "ÜberCool" }}',
    '{{ upper "ǆ ß ﬁ" }}|{{ lower "ǅ İ" }}',
    '{{ trimAll "é" "ééxéé" }}|{{ trim "\u00a0x\u3000" }}|{{ replace "é" "e" "café" }}',
    '{{ quote "é\u00a0" }}|{{ squote "✓" }}|{{ len "✓" }}',
  ],
  values,
);
// Functions of two or more arguments with a data value of each kind as the first argument.
{
  const skip = new Set(["keys", "values", "derivePassword", "htpasswd", "bcrypt", "fail", "getHostByName"]);
  const random =
    /^(rand|shuffle|uuidv4|now|ago|date$|dateInZone|date_in_zone|htmlDate|encryptAES|durationRound|gen|buildCustomCert)/;
  const kinds = [".list", ".m", ".b", ".nil", ".f", ".n", ".s", ".mixed", ".em", ".t", ".uni"];
  for (const [name, spec] of Object.entries(SPRIG_ARITY)) {
    const n = Number.parseInt(spec, 10);
    if (n < 2 || skip.has(name) || random.test(name)) continue;
    const rest = ['"x,y"', '"a-b_c D"', '"1.5"'].slice(0, n - 1).join(" ");
    for (const k of kinds) add(`first-kind/${name}/${k.slice(1)}`, `{{ ${name} ${k} ${rest} }}`, values);
  }
}
add("sprig-env/not-available", '{{ env "HOME" }}', null);
add("sprig-env/expandenv-not-available", '{{ expandenv "$HOME" }}', null);
