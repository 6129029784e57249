/** `env` and `expandenv` (sprig), available only when the host opts in with `allowEnv`. */
import type { FuncMap } from "./functions.js";

type Env = Readonly<Record<string, string | undefined>>;

function lookup(env: Env, name: string): string {
  if (!Object.hasOwn(env, name)) return "";
  return env[name] ?? "";
}

function isShellSpecial(c: string): boolean {
  return "*#$@!?-0123456789".includes(c);
}

function isAlphaNum(c: string): boolean {
  return c === "_" || /[0-9A-Za-z]/.test(c);
}

/** Go's os.Expand with an environment map: `$VAR` and `${VAR}`. */
export function expandEnv(s: string, env: Env): string {
  let out = "";
  let i = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] !== "$" || j + 1 >= s.length) continue;
    out += s.slice(i, j);
    let name = "";
    let w = 0;
    const c = s[j + 1]!;
    if (c === "{") {
      if (s.length > j + 2 && isShellSpecial(s[j + 2]!) && s[j + 3] === "}") {
        name = s[j + 2]!;
        w = 3;
      } else {
        const end = s.indexOf("}", j + 2);
        if (end < 0) {
          // Bad syntax: Go drops "${" and keeps the rest.
          w = 1;
        } else if (end === j + 2) {
          w = 2; // "${}" is eaten.
        } else {
          name = s.slice(j + 2, end);
          w = end - j;
        }
      }
    } else if (isShellSpecial(c)) {
      name = c;
      w = 1;
    } else {
      let k = j + 1;
      while (k < s.length && isAlphaNum(s[k]!)) k++;
      name = s.slice(j + 1, k);
      w = k - j - 1;
    }
    if (name === "" && w > 0) {
      // invalid syntax; eat the characters
    } else if (name === "") {
      out += s[j];
    } else {
      out += lookup(env, name);
    }
    j += w;
    i = j + 1;
  }
  return i === 0 ? s : out + s.slice(i);
}

/** The environment functions bound to `env`. */
export function envFunctions(env: Env): FuncMap {
  return {
    env: (name: unknown) => lookup(env, String(name)),
    expandenv: (s: unknown) => expandEnv(String(s), env),
  };
}
