// Command go-fixtures records the reference behaviour of Go's text/template
// with sprig's TxtFuncMap and missingkey=error, so the TypeScript engine can be
// compared against it without Go installed.
//
//	go-fixtures record <cases.json> <go-results.json> [kanister]
//	go-fixtures bench <bench-cases.json> <go-bench.json>
//	go-fixtures bench-set <sets.json> <go-bench-sets.json> [kanister]
//
// Which sprig it records is the sprig of the GOPATH it was built in (see
// record.sh); "kanister" wraps the function map as Kanister's pkg/ksprig does.
// A case naming a goType has its data decoded (encoding/json) into that Go
// type of ./kanister — Kanister's TemplateParams and the types it holds.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"text/template"
	"time"

	sprig "github.com/Masterminds/sprig"

	"./kanister/param"
	"./kanister/v1"
	"./kanister/v1alpha1"
)

type testCase struct {
	Name     string          `json:"name"`
	Template string          `json:"template"`
	Data     json.RawMessage `json:"data"`
	Dataset  string          `json:"dataset"`
	GoType   string          `json:"goType"`
}

// goTypes are the Go types a case's data may be decoded into.
var goTypes = map[string]reflect.Type{
	"param.TemplateParams": reflect.TypeOf(param.TemplateParams{}),
	"param.Profile":        reflect.TypeOf(param.Profile{}),
	"v1.Secret":            reflect.TypeOf(v1.Secret{}),
	"v1.ConfigMap":         reflect.TypeOf(v1.ConfigMap{}),
	"v1alpha1.Artifact":    reflect.TypeOf(v1alpha1.Artifact{}),
}

// decodeTyped decodes JSON into a value of the named Go type (a struct value, as
// Kanister passes its TemplateParams), with integral numbers under interface{}
// as int64, as Kubernetes unstructured data holds them.
func decodeTyped(name string, raw json.RawMessage) interface{} {
	t, ok := goTypes[name]
	if !ok {
		panic("unknown goType " + name)
	}
	p := reflect.New(t)
	if err := json.Unmarshal(raw, p.Interface()); err != nil {
		panic(fmt.Sprintf("%s: %v", name, err))
	}
	fixNumbers(p.Elem())
	return p.Elem().Interface()
}

// fixNumbers replaces float64 values held in interface{} by int64 when integral.
func fixNumbers(v reflect.Value) {
	switch v.Kind() {
	case reflect.Ptr:
		if !v.IsNil() {
			fixNumbers(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).CanSet() {
				fixNumbers(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			fixNumbers(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := v.MapIndex(k)
			if e.Kind() == reflect.Interface {
				if !e.IsNil() {
					v.SetMapIndex(k, reflect.ValueOf(intify(e.Elem().Interface())))
				}
				continue
			}
			c := reflect.New(e.Type()).Elem()
			c.Set(e)
			fixNumbers(c)
			v.SetMapIndex(k, c)
		}
	case reflect.Interface:
		if !v.IsNil() && v.CanSet() {
			v.Set(reflect.ValueOf(intify(v.Elem().Interface())))
		}
	}
}

// intify is convert for values json.Unmarshal decoded into interface{} (float64 numbers).
func intify(x interface{}) interface{} {
	switch t := x.(type) {
	case float64:
		if t == float64(int64(t)) && t >= -9.2e18 && t <= 9.2e18 {
			return int64(t)
		}
		return t
	case map[string]interface{}:
		for k, e := range t {
			t[k] = intify(e)
		}
		return t
	case []interface{}:
		for i, e := range t {
			t[i] = intify(e)
		}
		return t
	}
	return x
}

// unsupportedSprigUsage is Kanister's ksprig.UnsupportedSprigUsageErr.
type unsupportedSprigUsage struct{ usage string }

func (e unsupportedSprigUsage) Error() string {
	return fmt.Sprintf("sprig usage of '%s' is not allowed by kanister as it is not FIPS compatible", e.usage)
}

// ksprig applies Kanister's pkg/ksprig/fipsonly_sprig.go replacements to a function map:
// each replaces the function of that name only when sprig has it.
func ksprig(m template.FuncMap) template.FuncMap {
	orig := m["genPrivateKey"]
	replacements := map[string]interface{}{
		"bcrypt": func(input string) (string, error) { return "", unsupportedSprigUsage{"bcrypt"} },
		"derivePassword": func(counter uint32, passwordType, password, user, site string) (string, error) {
			return "", unsupportedSprigUsage{"derivePassword"}
		},
		"genPrivateKey": func(typ string) (string, error) {
			switch typ {
			case "rsa", "ecdsa", "ed25519":
				fn, ok := orig.(func(string) string)
				if !ok {
					return "", unsupportedSprigUsage{"genPrivateKey"}
				}
				return fn(typ), nil
			}
			return "", unsupportedSprigUsage{fmt.Sprintf("genPrivateKey for %s", typ)}
		},
		"htpasswd": func(username string, password string) (string, error) {
			return "", unsupportedSprigUsage{"htpasswd"}
		},
	}
	for name, fn := range replacements {
		if _, ok := m[name]; ok {
			m[name] = fn
		}
	}
	return m
}

// funcMap is the function map cases render with.
var funcMap template.FuncMap

// caseFile is cases.json: data sets shared by name, and the cases (a bare array is accepted too).
type caseFile struct {
	Datasets map[string]json.RawMessage `json:"datasets"`
	Cases    []testCase                 `json:"cases"`
}

type result struct {
	Name   string  `json:"name"`
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

// convert turns decoded JSON into the values Kubernetes unstructured data
// holds: integral numbers become int64, others float64, {"$bytes": b64} []byte.
func convert(v interface{}) interface{} {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case map[string]interface{}:
		if len(t) == 1 {
			if s, ok := t["$bytes"].(string); ok {
				b, err := base64.StdEncoding.DecodeString(s)
				if err != nil {
					panic(err)
				}
				return b
			}
		}
		for k, e := range t {
			t[k] = convert(e)
		}
		return t
	case []interface{}:
		for i, e := range t {
			t[i] = convert(e)
		}
		return t
	}
	return v
}

func decodeData(raw json.RawMessage) interface{} {
	if len(raw) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v interface{}
	if err := dec.Decode(&v); err != nil {
		panic(err)
	}
	return convert(v)
}

func renderOne(name, src string, data interface{}) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	t, err := template.New(name).Funcs(funcMap).Option("missingkey=error").Parse(src)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func readCases(path string) []testCase {
	raw, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	var cases []testCase
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
		if err := json.Unmarshal(raw, &cases); err != nil {
			panic(err)
		}
		return cases
	}
	var file caseFile
	if err := json.Unmarshal(raw, &file); err != nil {
		panic(err)
	}
	for i, c := range file.Cases {
		if c.Dataset != "" {
			d, ok := file.Datasets[c.Dataset]
			if !ok {
				panic("unknown data set " + c.Dataset)
			}
			// Decoded afresh for every case: functions such as set mutate maps.
			file.Cases[i].Data = d
		}
	}
	return file.Cases
}

func writeJSON(path string, v interface{}) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		panic(err)
	}
}

func record(in, out string) {
	// Fixed zone so date functions that print local time are reproducible.
	time.Local = time.UTC
	cases := readCases(in)
	results := make([]result, 0, len(cases))
	for _, c := range cases {
		var data interface{}
		if c.GoType != "" {
			data = decodeTyped(c.GoType, c.Data)
		} else {
			data = decodeData(c.Data)
		}
		o, err := renderOne(c.Name, c.Template, data)
		r := result{Name: c.Name}
		if err != nil {
			msg := err.Error()
			r.Error = &msg
		} else {
			r.Output = &o
		}
		results = append(results, r)
	}
	writeJSON(out, results)
}

type benchResult struct {
	Name           string  `json:"name"`
	RendersPerSec  float64 `json:"rendersPerSec"`
	CompilesPerSec float64 `json:"compilesPerSec"`
	ParsesPerSec   float64 `json:"parsesPerSec"`
}

type benchFile struct {
	GoVersion string        `json:"goVersion"`
	Sprig     string        `json:"sprig"`
	Date      string        `json:"date"`
	Results   []benchResult `json:"results"`
}

// cpuTime is the process's CPU time (user + system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure returns the best operations per CPU-second of three ~300 ms windows of CPU time after a
// warm-up: CPU time, not wall time, so that other load on a shared machine does not count (the
// TypeScript benchmarks measure the same way).
func measure(fn func()) float64 {
	for i := 0; i < 500; i++ {
		fn()
	}
	best := 0.0
	for w := 0; w < 3; w++ {
		n := 0
		start := cpuTime()
		for cpuTime()-start < 300*time.Millisecond {
			for i := 0; i < 100; i++ {
				fn()
			}
			n += 100
		}
		if ops := float64(n) / (cpuTime() - start).Seconds(); ops > best {
			best = ops
		}
	}
	return best
}

func bench(in, out string) {
	time.Local = time.UTC
	cases := readCases(in)
	funcs := sprig.TxtFuncMap()
	file := benchFile{GoVersion: runtime.Version(), Sprig: "v3.3.0", Date: time.Now().UTC().Format("2006-01-02")}
	for _, c := range cases {
		data := decodeData(c.Data)
		t := template.Must(template.New(c.Name).Funcs(funcs).Option("missingkey=error").Parse(c.Template))
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			panic(fmt.Sprintf("%s: %v", c.Name, err))
		}
		renders := measure(func() {
			buf.Reset()
			if err := t.Execute(&buf, data); err != nil {
				panic(err)
			}
		})
		compiles := measure(func() {
			template.Must(template.New(c.Name).Funcs(funcs).Option("missingkey=error").Parse(c.Template))
		})
		// Parse alone, in a template set that already holds the functions (no func map copy).
		set := template.New("set").Funcs(funcs).Option("missingkey=error")
		parses := measure(func() {
			template.Must(set.New(c.Name).Parse(c.Template))
		})
		file.Results = append(file.Results, benchResult{Name: c.Name, RendersPerSec: renders, CompilesPerSec: compiles, ParsesPerSec: parses})
		fmt.Fprintf(os.Stderr, "%-28s renders/s %12.0f compiles/s %10.0f parses/s %10.0f\n", c.Name, renders, compiles, parses)
	}
	writeJSON(out, file)
}

// benchSet is a set of templates rendered over one data value (bench-set mode).
type benchSet struct {
	Name      string          `json:"name"`
	GoType    string          `json:"goType"`
	Data      json.RawMessage `json:"data"`
	Templates []string        `json:"templates"`
}

type benchSetResult struct {
	Name           string  `json:"name"`
	Templates      int     `json:"templates"`
	Failed         int     `json:"failed"`
	RendersPerSec  float64 `json:"rendersPerSec"`
	CompilesPerSec float64 `json:"compilesPerSec"`
}

// benchSets measures, per set, templates rendered per second (each compiled once, the ones that
// fail left out) and compiled per second (New().Funcs().Option().Parse, as Kanister builds each
// argument's template), with the dialect's function map.
func benchSets(in, out string) {
	time.Local = time.UTC
	raw, err := os.ReadFile(in)
	if err != nil {
		panic(err)
	}
	var sets []benchSet
	if err := json.Unmarshal(raw, &sets); err != nil {
		panic(err)
	}
	file := struct {
		GoVersion string           `json:"goVersion"`
		Date      string           `json:"date"`
		Results   []benchSetResult `json:"results"`
	}{GoVersion: runtime.Version(), Date: time.Now().UTC().Format("2006-01-02")}
	for _, set := range sets {
		data := decodeTyped(set.GoType, set.Data)
		var ok []*template.Template
		failed := 0
		for _, src := range set.Templates {
			t, err := template.New("args").Funcs(funcMap).Option("missingkey=error").Parse(src)
			if err == nil {
				var buf bytes.Buffer
				if err = t.Execute(&buf, data); err == nil {
					ok = append(ok, t)
					continue
				}
			}
			failed++
		}
		var buf bytes.Buffer
		renders := measure(func() {
			for _, t := range ok {
				buf.Reset()
				if err := t.Execute(&buf, data); err != nil {
					panic(err)
				}
			}
		}) * float64(len(ok))
		compiles := measure(func() {
			for _, src := range set.Templates {
				template.New("args").Funcs(funcMap).Option("missingkey=error").Parse(src)
			}
		}) * float64(len(set.Templates))
		file.Results = append(file.Results, benchSetResult{Name: set.Name, Templates: len(ok), Failed: failed, RendersPerSec: renders, CompilesPerSec: compiles})
		fmt.Fprintf(os.Stderr, "%-20s %d/%d templates  renders/s %10.0f  compiles/s %10.0f\n", set.Name, len(ok), len(set.Templates), renders, compiles)
	}
	writeJSON(out, file)
}

func main() {
	if len(os.Args) != 4 && !(len(os.Args) == 5 && os.Args[4] == "kanister") {
		fmt.Fprintln(os.Stderr, "usage: go-fixtures record|bench|bench-set <in.json> <out.json> [kanister]")
		os.Exit(2)
	}
	funcMap = sprig.TxtFuncMap()
	if len(os.Args) == 5 {
		funcMap = ksprig(funcMap)
	}
	switch strings.ToLower(os.Args[1]) {
	case "record":
		record(os.Args[2], os.Args[3])
	case "bench":
		bench(os.Args[2], os.Args[3])
	case "bench-set":
		benchSets(os.Args[2], os.Args[3])
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", os.Args[1])
		os.Exit(2)
	}
}
