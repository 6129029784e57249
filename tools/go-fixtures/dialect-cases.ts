/**
 * Cases for every behaviour that differs between sprig v2.22.0 (+ Kanister's ksprig) and sprig v3:
 * recorded with both, they pin each dialect to its Go.
 */
import { group, values } from "./kit.js";

const numbers = {
  ...values,
  octal: "010",
  hex: "0x10",
  dec: "12.00",
  under: "1_000",
  big: "9223372036854775808",
};

group(
  "dialect-numbers",
  [
    '{{ int "010" }} {{ int "0x10" }} {{ int "12.00" }} {{ int "1_000" }} {{ int "+5" }} {{ int " 5" }} {{ int "-0" }} {{ int "1e3" }}',
    '{{ int64 "010" }} {{ int64 "0b11" }} {{ int64 "0o17" }} {{ int64 "-12" }} {{ int64 .big }} {{ int64 "-9223372036854775808" }}',
    '{{ float64 "010" }} {{ float64 "0x1p-2" }} {{ float64 "1_000.5" }} {{ float64 "inf" }} {{ float64 "12.00" }} {{ float64 "1e3" }}',
    "{{ add .octal 1 }} {{ add .hex 1 }} {{ add .dec 1 }} {{ add .under 1 }} {{ sub .octal .hex }} {{ mul .octal 2 }}",
    '{{ div "010" 2 }} {{ mod "010" 3 }} {{ max "010" 9 }} {{ min "0x10" 3 }} {{ biggest "010" "9" }} {{ add1 "010" }}',
    '{{ ceil "1.5" }} {{ floor "010.7" }} {{ round "2.345" 2 }} {{ ceil "0x1p-2" }} {{ floor true }}',
    '{{ slice (list 1 2 3 4) "1" "03" }} {{ slice (list 1 2 3 4) "01" }} {{ slice (list 1 2 3 4) 1.9 }}',
    "{{ int .f }} {{ int .t }} {{ int .nil }} {{ int .list }} {{ float64 .t }} {{ int64 .neg }}",
    '{{ toDecimal "0777" }} {{ toDecimal 0777 }} {{ atoi "010" }} {{ atoi "0x10" }}',
    "{{ until 3 }} {{ untilStep 0 10 3 }} {{ until -2 }}",
  ],
  numbers,
);

group("dialect-trunc", [
  '{{ trunc 3 "hello" }}|{{ trunc 10 "hi" }}|{{ trunc 0 "x" }}|{{ trunc 5 "hello" }}',
  '{{ trunc -3 "hello" }}',
  '{{ trunc -10 "ab" }}',
  '{{ trunc -1 "" }}',
  '{{ trunc 2 "héllo" }}',
]);

group("dialect-case", [
  '{{ camelcase "a" }}|{{ camelcase "_" }}|{{ camelcase "__a" }}|{{ camelcase "a_" }}|{{ camelcase "a__b" }}|{{ camelcase "A_B_C" }}',
  '{{ camelcase "some words here" }}|{{ camelcase "kebab-case-x" }}|{{ camelcase "ÉCOLE_été" }}|{{ camelcase "x1_y2" }}',
  '{{ snakecase "ABc" }}|{{ snakecase "HTTP2XX" }}|{{ snakecase "http2xx" }}|{{ snakecase "HTTP20xOK" }}|{{ snakecase "GO PATH" }}',
  '{{ snakecase "Duration2m3s" }}|{{ snakecase "Bld4Floor3rd" }}|{{ snakecase "aB" }}|{{ snakecase "AB" }}|{{ snakecase "A" }}|{{ snakecase "a1B" }}',
  '{{ kebabcase "IPAddress" }}|{{ kebabcase "ID" }}|{{ kebabcase "Hello World" }}|{{ kebabcase "x_Y-z" }}|{{ kebabcase "ÀBC" }}',
  '{{ snakecase "MyHTTPClient2Go" }}|{{ snakecase "a-b_c D" }}|{{ snakecase "__x__" }}|{{ snakecase "9lives" }}',
]);

group("dialect-semver", [
  '{{ semverCompare "^0.2.3" "0.9.0" }} {{ semverCompare "^0.2.3" "0.2.5" }} {{ semverCompare "^0.0.3" "0.0.4" }} {{ semverCompare "^1.2" "1.9.0" }}',
  '{{ semverCompare "1.2" "1.2.5" }} {{ semverCompare "=1.2" "1.2.0" }} {{ semverCompare "1.2.x" "1.2.9" }} {{ semverCompare "1" "1.4.0" }}',
  '{{ semverCompare "<1" "1.5.0" }} {{ semverCompare "<=1" "1.9.9" }} {{ semverCompare "<1.2" "1.2.5" }} {{ semverCompare "<=1.2" "1.2.9" }}',
  '{{ semverCompare ">1.2" "1.2.1" }} {{ semverCompare ">1" "1.5.0" }} {{ semverCompare ">1.x" "2.0.0" }} {{ semverCompare ">=1.2" "1.2.0" }}',
  '{{ semverCompare "~1" "1.9.0" }} {{ semverCompare "~1.2" "1.2.9" }} {{ semverCompare "~>1.2.3" "1.3.0" }} {{ semverCompare "~0" "0.5.0" }} {{ semverCompare "~*" "2.0.0" }}',
  '{{ semverCompare "!=1.2.x" "1.2.5" }} {{ semverCompare "!=1.x" "1.5.0" }} {{ semverCompare "!=1.2.3" "1.2.3" }} {{ semverCompare "!=1.2" "1.3.0" }}',
  '{{ semverCompare ">= 1.2, < 2" "1.5.0" }} {{ semverCompare ">= 1.2, < 2 || >= 3" "3.1.0" }} {{ semverCompare "1.2 - 1.4" "1.3.0" }} {{ semverCompare "*" "5.0.0" }}',
  '{{ semverCompare ">= 1.2 < 2" "1.5.0" }}',
  '{{ semverCompare "" "1.0.0" }}',
  '{{ semverCompare "x" "1.0.0" }} {{ semverCompare "1.x" "1.0.0-beta" }} {{ semverCompare ">=1.0.0-0" "1.1.0-alpha" }} {{ semverCompare "^1.2.3-alpha" "1.2.3-beta" }}',
  '{{ semver "1.2.3-01" }} {{ semver "v1.2" }} {{ (semver "1.2.3-rc.1+b5").Prerelease }} {{ (semver "1.2.3+b5").Metadata }} {{ (semver "2.3.4").Original }}',
  '{{ semver "1.2.3.4" }}',
  '{{ semverCompare ">=1.0" "bogus" }}',
  '{{ semverCompare "=>1.0 <=2.0" "1.5.0" }}',
  '{{ semverCompare ">=1.0,<=2.0" "1.5.0" }} {{ semverCompare " ^ 1.0 " "1.5.0" }} {{ semverCompare "=<1.0" "1.0.0" }}',
]);

group("dialect-ksprig", [
  '{{ derivePassword 1 "long" "password" "user" "example.com" }}',
  '{{ genPrivateKey "dsa" }}',
  '{{ genPrivateKey "" }}',
  '{{ genPrivateKey "ed25519" | len }}',
  '{{ genPrivateKey "nope" }}',
]);

group(
  "dialect-v3-only",
  [
    "{{ toRawJson .m }}",
    '{{ dig "b" 0 .m }}',
    '{{ get .m "a" }}',
    "{{ seq 3 }}",
    "{{ mustToJson .m }}",
    '{{ fromJson "{}" }}',
    "{{ all 1 2 }}",
    '{{ regexQuoteMeta "a.b" }}',
    '{{ duration "90" }}',
    '{{ osBase "/a/b" }}',
    "{{ chunk 2 .list }}",
    "{{ mulf 1.5 2 }}",
  ],
  values,
);

group(
  "dialect-lists",
  [
    "{{ deepCopy .m }} {{ deepCopy .list }} {{ deepCopy .b }}",
    "{{ deepCopy .nil }}",
    '{{ first .empty }}|{{ rest .empty }}|{{ last .list }}|{{ initial .list }}|{{ reverse .nums }}|{{ uniq (list 1 1 "a" "a") }}',
    '{{ append .list "d" }} {{ prepend .list "z" }} {{ concat .list .nums }} {{ compact (list 0 "" "x" .nil) }} {{ without .list "b" }}',
    '{{ append "abc" "d" }}',
    '{{ has "b" .list }} {{ has 9 .nil }} {{ slice .list 1 }} {{ slice .empty }}',
  ],
  values,
);

// sprig v3.3.0 against v3.2.3, with the dependency versions KubeStash's go.mod resolves
// (xstrings v1.5.0, Masterminds/semver v3.4.0, dario.cat/mergo v1.0.1).
group("dialect-sprig33", [
  '{{ sha512sum "abc" }}',
  '{{ camelcase "someWords" }}|{{ camelcase "HTTPServer" }}|{{ camelcase "GOLANG_IS_GREAT" }}|{{ camelcase "aB_cD" }}|{{ camelcase "x  Y" }}|{{ camelcase "a" }}|{{ camelcase "__" }}',
  '{{ camelcase "ÉCOLE_ÉTÉ" }}|{{ camelcase "STRASSE_ß" }}|{{ camelcase "ǅEMAL_ǅ" }}|{{ camelcase "İSTANBUL_İ" }}|{{ camelcase "ÀÉ-Î" }}',
  '{{ mergeOverwrite (dict "a" "x" "b" (dict "c" 1)) (dict "a" (dict "z" 1) "b" "s") | toJson }}',
  '{{ merge (dict "a" "x") (dict "a" (dict "z" 1)) | toJson }} {{ mergeOverwrite (dict "a" "") (dict "a" (dict "z" 1)) | toJson }}',
  '{{ mergeOverwrite (dict "a" 0 "b" 1) (dict "a" (list 1) "b" (list 2)) | toJson }} {{ mergeOverwrite (dict "a" (dict "y" 2)) (dict "a" (dict "z" 1)) | toJson }}',
  '{{ semverCompare ">=1.0.0-0 <2.0.0" "1.5.0-beta" }} {{ semverCompare "!=1.0.0" "1.1.0-beta" }} {{ semverCompare ">=1.0.0-0 <2.0.0 || >=3.0.0" "3.1.0-rc.1" }} {{ semverCompare "~1.2.0-alpha, !=1.2.5" "1.2.3-beta" }}',
  '{{ semverCompare "!=1.x" "2.0.0-beta" }} {{ semverCompare "<2.0.0" "1.0.0-rc" }} {{ semverCompare "1.2.x || >=1.3.0-0" "1.2.4-a" }}',
  '{{ semverCompare "1.0 - 2.0 !=1.5.0" "1.5.0" }} {{ semverCompare "1.0 - 2.0 !=1.5.0" "1.6.0" }}',
  '{{ semver "18446744073709551616.1.0" }}',
  '{{ semver "1.99999999999999999999.0" }}',
  '{{ semver "9223372036854775808.0.0" | toString | len }}',
]);
