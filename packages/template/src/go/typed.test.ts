/**
 * Go-typed template data. Every expectation was printed by Go 1.19 text/template + sprig for the same
 * Go types and values (structs with json tags, a defined string type, pointers, typed maps and slices,
 * time.Time); the committed differential fixtures record them too.
 */
import { describe, expect, it } from "vitest";
import { compile, render, TemplateError } from "../index.js";
import { POINTER_TEXT } from "./print-typed.js";
import { type GoStruct, goStringMap, goTime, goValue, isGoNil } from "./typed.js";
import { goValueFromJson } from "./typed-json.js";
import { GoRawJson, goTypes, mapOf, namedType, pointerTo, sliceOf, structType } from "./types.js";

const LocationType = namedType("main.LocationType", goTypes.string);
const Location = structType("main.Location", {
  Type: { type: LocationType, json: "type" },
  Bucket: { type: goTypes.string, json: "bucket" },
  Endpoint: { type: goTypes.string, json: "endpoint" },
  Prefix: { type: goTypes.string, json: "prefix" },
  Region: { type: goTypes.string, json: "region" },
});
const KeyPair = structType("main.KeyPair", { ID: goTypes.string, Secret: goTypes.string });
const Credential = structType("main.Credential", {
  Type: goTypes.string,
  KeyPair: pointerTo(KeyPair),
  Secret: pointerTo(goTypes.string),
});
const Profile = structType("main.Profile", {
  Location,
  Credential,
  SkipSSLVerify: goTypes.bool,
});
const Artifact = structType("main.Artifact", {
  KeyValue: { type: mapOf(goTypes.string), json: "keyValue,omitempty" },
  KopiaSnapshot: { type: goTypes.string, json: "kopiaSnapshot,omitempty" },
});
const Meta = structType("main.Meta", {
  Name: { type: goTypes.string, json: "name,omitempty" },
  Labels: { type: mapOf(goTypes.string), json: "labels,omitempty" },
});
const Wrapped = structType("main.Wrapped", {
  Meta: { type: Meta, json: ",inline", embedded: true },
  Data: { type: mapOf(goTypes.bytes), json: "data,omitempty" },
  Note: { type: goTypes.string, json: "note" },
});
const Params = structType("main.Params", {
  Options: mapOf(goTypes.string),
  Profile: pointerTo(Profile),
  Art: mapOf(Artifact),
  Nothing: pointerTo(Profile),
  W: Wrapped,
  T: goTypes.time,
  Items: sliceOf(goTypes.string),
  NilItems: sliceOf(goTypes.string),
  NilMap: mapOf(goTypes.string),
});

const data = goValue(Params, {
  Options: { a: "1" },
  Profile: {
    Location: { Type: "s3Compliant", Bucket: "b" },
    Credential: { Type: "keyPair", KeyPair: { ID: "id", Secret: "s<" } },
  },
  Art: { x: { KeyValue: { k: "v" } } },
  W: { Meta: { Name: "n" }, Data: { k: new Uint8Array(Buffer.from("hi")) } },
  // Date holds milliseconds only: the nanoseconds come from RFC 3339 text.
  T: goValueFromJson(goTypes.time, "2024-03-05T07:08:09.123456789Z"),
  Items: ["a", "b"],
});

/** The expectations were printed by Go with sprig v3 (dig is v3-only; the rest is the same in v2.22). */
function run(src: string, missingKey: "error" | "zero" | "default" = "error"): string {
  return render(src, data, { name: "t", missingKey, dialect: "sprig3" });
}

function failure(src: string): string {
  try {
    run(src);
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return (err as Error).message;
  }
  throw new Error(`expected ${src} to fail`);
}

describe("Go-typed template data", () => {
  it('a map[string]string yields "" for a missing key through index, missingkey=zero and default', () => {
    expect(run('{{ index .Options "missing" | quote }}')).toBe('""');
    expect(run('{{ default "d" (index .Options "zz") }}')).toBe("d");
    expect(run("{{ .Options.missing | quote }}", "zero")).toBe('""');
    expect(run("{{ .Options.missing }}", "default")).toBe("<no value>");
    expect(failure("{{ .Options.missing }}")).toBe(
      'template: t:1:11: executing "t" at <.Options.missing>: map has no entry for key "missing"',
    );
  });

  it("prints structs, pointers, nil maps and slices as Go's %v does", () => {
    expect(run("{{ .Options }}")).toBe("map[a:1]");
    expect(
      run("{{ .NilMap }}|{{ toJson .NilMap }}|{{ .NilItems }}|{{ toJson .NilItems }}|{{ toJson .Items }}"),
    ).toBe('map[]|null|[]|null|["a","b"]');
    // text/template prints the value a pointer points to; a pointer inside it prints as an address.
    expect(run("{{ .Profile }}")).toBe(`{{s3Compliant b   } {keyPair ${POINTER_TEXT} <nil>} false}`);
    expect(run('{{ printf "%v" .Profile.Credential.KeyPair }}')).toBe("&{id s<}");
    expect(run("{{ .Profile.Location }}")).toBe("{s3Compliant b   }");
    expect(run('{{ printf "%+v" .Profile.Location }}')).toBe(
      "{Type:s3Compliant Bucket:b Endpoint: Prefix: Region:}",
    );
    expect(run('{{ printf "%#v" .Profile.Location }}')).toBe(
      'main.Location{Type:"s3Compliant", Bucket:"b", Endpoint:"", Prefix:"", Region:""}',
    );
    expect(run("{{ .W }}")).toBe("{{n map[]} map[k:[104 105]] }");
    expect(run("{{ .Nothing }}|{{ .Profile.Credential.Secret }}")).toBe("<nil>|<nil>");
    expect(run("{{ toString .Profile.Location }}|{{ .Profile.Location.Type | toString | upper }}")).toBe(
      "{s3Compliant b   }|S3COMPLIANT",
    );
  });

  it("names Go types in %T, typeOf and kindOf", () => {
    expect(
      run(
        '{{ printf "%T" .Profile }}|{{ printf "%T" .Profile.Location.Type }}|{{ printf "%T" .Options }}|{{ printf "%T" .Items }}',
      ),
    ).toBe("*main.Profile|main.LocationType|map[string]string|[]string");
    expect(
      run(
        "{{ typeOf .T.Month }}|{{ kindOf .T.Month }}|{{ kindOf .Profile }}|{{ kindOf .Profile.Location }}|{{ typeOf .Nothing }}",
      ),
    ).toBe("time.Month|int|ptr|struct|*main.Profile");
    expect(run('{{ deepEqual .Items (list "a" "b") }}|{{ slice .Items 1 | printf "%T" }}')).toBe(
      "false|[]string",
    );
  });

  it("encodes structs in field order with json tags, omitempty and inlined embedded structs", () => {
    expect(run("{{ toJson .Profile }}")).toBe(
      '{"Location":{"type":"s3Compliant","bucket":"b","endpoint":"","prefix":"","region":""},"Credential":{"Type":"keyPair","KeyPair":{"ID":"id","Secret":"s\\u003c"},"Secret":null},"SkipSSLVerify":false}',
    );
    expect(run("{{ toPrettyJson .Art }}")).toBe(
      '{\n  "x": {\n    "keyValue": {\n      "k": "v"\n    }\n  }\n}',
    );
    expect(run("{{ toJson .W }}")).toBe('{"name":"n","data":{"k":"aGk="},"note":""}');
    expect(run("{{ toJson .T }}")).toBe('"2024-03-05T07:08:09.123456789Z"');
  });

  it("picks a struct's JSON fields per type, as encoding/json's typeFields does", () => {
    // Go 1.19: a name at the same depth twice, neither (or both) tagged, is dropped — also when one of
    // them sits behind a nil embedded pointer; an embedded type twice at one level clashes with itself;
    // a tagged embedded struct is a field even when its type is unexported.
    const A = structType("main.A", { X: goTypes.int, Y: goTypes.int });
    const B = structType("main.B", { X: goTypes.int, Z: goTypes.int });
    const C = structType("main.C", { X: { type: goTypes.int, json: "X" } });
    const S1 = structType("main.S1", {
      A: { type: pointerTo(A), embedded: true },
      B: { type: B, embedded: true },
    });
    const S2 = structType("main.S2", {
      A: { type: pointerTo(A), embedded: true },
      C: { type: C, embedded: true },
    });
    const u = structType("main.u", { Q: goTypes.int });
    const S3 = structType("main.S3", { u: { type: u, json: "uu", embedded: true }, W: goTypes.int });
    const D = structType("main.D", { A: { type: A, embedded: true } });
    const E = structType("main.E", { A: { type: A, embedded: true } });
    const S4 = structType("main.S4", {
      D: { type: D, embedded: true },
      E: { type: E, embedded: true },
      Y: { type: goTypes.int, json: "K" },
    });
    const json = (v: unknown) => render("{{ toJson . }}", v);
    expect(json(goValue(S1, { B: { X: 1, Z: 2 } }))).toBe('{"Z":2}');
    expect(json(goValue(S1, { A: { X: 5, Y: 6 }, B: { X: 1, Z: 2 } }))).toBe('{"Y":6,"Z":2}');
    expect(json(goValue(S2, { C: { X: 3 } }))).toBe('{"X":3}');
    expect(json(goValue(S3, { u: { Q: 1 }, W: 2 }))).toBe('{"uu":{"Q":1},"W":2}');
    expect(json(goValue(S4, { D: { A: { X: 1, Y: 2 } }, E: { A: { X: 3, Y: 4 } }, Y: 9 }))).toBe('{"K":9}');
  });

  it("encodes a pointer through its element's MarshalJSON (a value receiver's method is the pointer's too)", () => {
    const Stamp = structType(
      "main.Stamp",
      { N: goTypes.int },
      {
        marshalJson: (self) => new GoRawJson(`"n=${(self as GoStruct).get("N")}"`),
      },
    );
    const Holder = structType("main.Holder", { V: Stamp, P: pointerTo(Stamp), Nil: pointerTo(Stamp) });
    expect(render("{{ toJson . }}", goValue(Holder, { V: { N: 1 }, P: { N: 2 } }))).toBe(
      '{"V":"n=1","P":"n=2","Nil":null}',
    );
  });

  it("reaches fields (promoted ones too) and fails on the rest with Go's messages", () => {
    expect(run("{{ .W.Name }}|{{ .W.Meta.Name }}")).toBe("n|n");
    expect(failure("{{ .Nothing.Location }}")).toBe(
      'template: t:1:11: executing "t" at <.Nothing.Location>: nil pointer evaluating *main.Profile.Location',
    );
    expect(failure("{{ .Nothing.Foo }}")).toContain("can't evaluate field Foo in type *main.Profile");
    expect(failure("{{ .Profile.Foo }}")).toContain("can't evaluate field Foo in type *main.Profile");
    expect(failure("{{ .Profile.location }}")).toContain(
      "can't evaluate field location in type *main.Profile",
    );
    expect(failure("{{ .Foo }}")).toBe(
      'template: t:1:3: executing "t" at <.Foo>: can\'t evaluate field Foo in type main.Params',
    );
    expect(failure("{{ .Options.a.b }}")).toContain("can't evaluate field b in type string");
    expect(() => render("{{ .Profile.Location.Missing }}", data, { missingKey: "zero" })).toThrow(
      "can't evaluate field Missing in type main.Location",
    );
    expect(failure('{{ (index .Art "x").KeyValue.k }}|{{ (index .Art "missing").KeyValue.k }}')).toContain(
      'map has no entry for key "k"',
    );
  });

  it("reads the right field when one template is given structs of different types", () => {
    const First = structType("main.First", { N: goTypes.string, M: goTypes.string });
    const Second = structType("main.Second", { M: goTypes.string, N: goTypes.string });
    const Third = structType("main.Third", { n: goTypes.string });
    const Holder = (t: typeof First) => structType(`main.Holder${t.name}`, { V: pointerTo(t) });
    const t = compile("{{ .V.N }}", { name: "t" });
    expect(t.render(goValue(Holder(First), { V: { N: "1", M: "x" } }))).toBe("1");
    expect(t.render(goValue(Holder(Second), { V: { M: "x", N: "2" } }))).toBe("2");
    expect(() => t.render(goValue(Holder(Third), { V: { n: "3" } }))).toThrow(
      "can't evaluate field N in type *main.Third",
    );
    expect(t.render(goValue(Holder(First), { V: { N: "4" } }))).toBe("4");
  });

  // Go reports a refused argument at the argument (`at <.Options>: wrong type…`); sprig's functions
  // here report it at the call (`at <hasKey .Options "a">: error calling hasKey: wrong type…`).
  it("is refused where Go refuses it: sprig's map[string]interface{} functions, string parameters", () => {
    expect(failure('{{ hasKey .Options "a" }}')).toContain(
      "wrong type for value; expected map[string]interface {}; got map[string]string",
    );
    expect(failure("{{ keys .Options }}")).toContain(
      "expected map[string]interface {}; got map[string]string",
    );
    expect(failure("{{ upper .Profile.Location.Type }}")).toContain(
      "wrong type for value; expected string; got main.LocationType",
    );
    expect(failure('{{ dig "a" "x" .Options }}')).toContain(
      "error calling dig: interface conversion: interface {} is map[string]string, not map[string]interface {}",
    );
    expect(failure("{{ len .Profile }}")).toContain("error calling len: len of type main.Profile");
    expect(failure("{{ index .Profile 0 }}")).toContain(
      "error calling index: can't index item of type main.Profile",
    );
    expect(failure("{{ range .Profile }}x{{ end }}")).toContain("range can't iterate over {{s3Compliant b");
    expect(failure("{{ eq .Options .Options }}")).toContain(
      "non-comparable type map[a:1]: map[string]string",
    );
  });

  it("compares and tests truth as Go does", () => {
    expect(run('{{ eq .Profile.Location.Type "s3Compliant" }}')).toBe("true");
    expect(run("{{ eq .Profile.Location .Profile.Location }}")).toBe("true");
    expect(
      run(
        "{{ if .Nothing }}y{{ else }}n{{ end }}|{{ if .Profile }}y{{ end }}|{{ if .NilMap }}y{{ else }}n{{ end }}",
      ),
    ).toBe("n|y|n");
    expect(
      run("{{ eq .Nothing nil }}|{{ empty .Nothing }}|{{ empty .Profile }}|{{ empty .Profile.Location }}"),
    ).toBe("true|true|false|false");
    expect(run("{{ len .Options }}|{{ len .NilMap }}")).toBe("1|0");
  });

  it("keeps time.Time's methods", () => {
    expect(
      run(
        '{{ .T }}|{{ .T.Unix }}|{{ .T.Format "2006-01-02" }}|{{ .T.Month }}|{{ printf "%d" .T.Month }}|{{ .T.Weekday }}|{{ .T.YearDay }}',
      ),
    ).toBe("2024-03-05 07:08:09.123456789 +0000 UTC|1709622489|2024-03-05|March|3|Tuesday|65");
    expect(
      run(
        "{{ .T.UTC.Year }}|{{ .T.UnixNano }}|{{ .T.IsZero }}|{{ .T.Location }}|{{ (.T.Add 3600000000000).Hour }}",
      ),
    ).toBe("2024|1709622489123456789|false|UTC|8");
    expect(run("{{ .T.AddDate 0 1 30 }}|{{ .T.Truncate 3600000000000 }}|{{ .T.Round 60000000000 }}")).toBe(
      "2024-05-05 07:08:09.123456789 +0000 UTC|2024-03-05 07:00:00 +0000 UTC|2024-03-05 07:08:00 +0000 UTC",
    );
    expect(
      run(
        '{{ .T.Sub (toDate "2006-01-02" "2024-03-01") }}|{{ (.T.Sub (toDate "2006-01-02" "2024-03-01")).Hours }}',
      ),
    ).toBe("103h8m9.123456789s|103.13586762688584");
    expect(run("{{ .T.MarshalJSON }}")).toBe(
      "[34 50 48 50 52 45 48 51 45 48 53 84 48 55 58 48 56 58 48 57 46 49 50 51 52 53 54 55 56 57 90 34]",
    );
    expect(run("{{ int .T.Month }}|{{ add1 .T.Month }}")).toBe("3|4");
    expect(failure("{{ .T.Zone }}")).toBe(
      'template: t:1:5: executing "t" at <.T.Zone>: can\'t call method/function "Zone" with 2 results',
    );
    expect(failure("{{ .T.Format }}")).toContain("wrong number of args for Format: want 1 got 0");
    expect(render('{{ (toDate "2006-01-02" "2024-07-04").Unix }}', null)).toBe("1720051200");
    expect(render("{{ .T.Year }}", { T: goTime(new Date(0)) })).toBe("1970");
  });
});

describe("goValue and goValueFromJson", () => {
  it("fills missing struct fields with zero values and rejects data that does not fit", () => {
    const zero = goValue(Artifact, {});
    expect(render("{{ toJson . }}|{{ .KeyValue }}|{{ .KopiaSnapshot | quote }}", zero)).toBe('{}|map[]|""');
    expect(() => goValue(Artifact, { KeyValue: { k: 1 } })).toThrow(
      "KeyValue.k: expected a value of Go type string",
    );
    expect(() => goValue(Artifact, { Nope: 1 })).toThrow('main.Artifact has no field "Nope"');
    expect(isGoNil(goValue(pointerTo(Profile), null))).toBe(true);
    expect(render('{{ index . "x" | quote }}', goStringMap(null))).toBe('""');
  });

  it("decodes JSON by json tags: inlined embedded fields, base64 bytes, RFC 3339 times", () => {
    const w = goValueFromJson(Wrapped, {
      name: "n",
      labels: { app: "db" },
      data: { k: "aGk=" },
      note: "x",
      extra: 1,
    });
    expect(render("{{ .Name }} {{ .Labels.app }} {{ .Data.k | toString }} {{ .Note }}", w)).toBe("n db hi x");
    expect(render("{{ toJson . }}", w)).toBe(
      '{"name":"n","labels":{"app":"db"},"data":{"k":"aGk="},"note":"x"}',
    );
    expect(render("{{ .Unix }}", goValueFromJson(goTypes.time, "1970-01-01T00:01:00+00:00"))).toBe("60");
  });
});
