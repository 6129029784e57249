/** Go text/template's lexer: the same tokens, trim markers and error texts as text/template/parse. */

/** Token kinds, as Go's itemType (keywords after `Keyword`). */
export const T = {
  Error: 0,
  Bool: 1,
  Char: 2,
  CharConstant: 3,
  Comment: 4,
  Complex: 5,
  Assign: 6,
  Declare: 7,
  EOF: 8,
  Field: 9,
  Identifier: 10,
  LeftDelim: 11,
  LeftParen: 12,
  Number: 13,
  Pipe: 14,
  RawString: 15,
  RightDelim: 16,
  RightParen: 17,
  Space: 18,
  String: 19,
  Text: 20,
  Variable: 21,
  Keyword: 22,
  Block: 23,
  Break: 24,
  Continue: 25,
  Dot: 26,
  Define: 27,
  Else: 28,
  End: 29,
  If: 30,
  Nil: 31,
  Range: 32,
  Template: 33,
  With: 34,
} as const;
/** A token kind. */
export type T = (typeof T)[keyof typeof T];

/** One token: kind, start offset in the source, and its text. */
export interface Token {
  t: T;
  pos: number;
  val: string;
}

const KEYWORDS: Record<string, T | undefined> = {
  block: T.Block,
  break: T.Break,
  continue: T.Continue,
  define: T.Define,
  else: T.Else,
  end: T.End,
  if: T.If,
  range: T.Range,
  nil: T.Nil,
  template: T.Template,
  with: T.With,
};

const LEFT = "{{";
const RIGHT = "}}";

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n";
}

const ALNUM = /[\p{L}\p{Nd}_]/u;
function isAlphaNumeric(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 0x80) {
    return (
      code === 95 || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
    );
  }
  return ALNUM.test(c);
}

function hasLeftTrimMarker(s: string, i: number): boolean {
  return s[i] === "-" && isSpace(s[i + 1]);
}

function hasRightTrimMarker(s: string, i: number): boolean {
  return isSpace(s[i]) && s[i + 1] === "-";
}

/** Go's `%#U` of a character: `U+0021 '!'`. */
function sharpU(c: string): string {
  const cp = c.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")} '${c}'`;
}

/**
 * Tokenizes a template. Stops after the first error token, as Go's lexer does.
 * `break`/`continue` are keywords unless the func map defines functions of those names.
 */
export function lex(input: string, breakOK = true, continueOK = true): Token[] {
  const items: Token[] = [];
  let pos = 0;
  let start = 0;
  let parenDepth = 0;
  const emit = (t: T): void => {
    items.push({ t, pos: start, val: input.slice(start, pos) });
    start = pos;
  };
  const fail = (msg: string): void => {
    items.push({ t: T.Error, pos: start, val: msg });
  };
  const atRightDelim = (): [boolean, boolean] => {
    if (hasRightTrimMarker(input, pos) && input.startsWith(RIGHT, pos + 2)) return [true, true];
    if (input.startsWith(RIGHT, pos)) return [true, false];
    return [false, false];
  };
  const atTerminator = (): boolean => {
    const r = input[pos];
    if (r === undefined || isSpace(r)) return true;
    switch (r) {
      case ".":
      case ",":
      case "|":
      case ":":
      case ")":
      case "(":
        return true;
    }
    return input.startsWith(RIGHT, pos);
  };
  const nextChar = (): string | undefined => {
    if (pos >= input.length) {
      pos++;
      return undefined;
    }
    const cp = input.codePointAt(pos)!;
    const c = String.fromCodePoint(cp);
    pos += c.length;
    return c;
  };
  const accept = (valid: string): boolean => {
    const c = input[pos];
    if (c !== undefined && valid.includes(c)) {
      pos++;
      return true;
    }
    return false;
  };
  const acceptRun = (valid: string): void => {
    while (pos < input.length && valid.includes(input[pos]!)) pos++;
  };
  const scanNumber = (): boolean => {
    accept("+-");
    let digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (accept("oO")) digits = "01234567_";
      else if (accept("bB")) digits = "01_";
    }
    acceptRun(digits);
    if (accept(".")) acceptRun(digits);
    if (digits.length === 11 && accept("eE")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    if (digits.length === 23 && accept("pP")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    accept("i");
    if (isAlphaNumeric(input[pos])) {
      nextChar();
      return false;
    }
    return true;
  };
  // Scans a quoted token body; returns false on an unterminated constant.
  const scanQuoted = (quote: string): boolean => {
    for (;;) {
      const c = nextChar();
      if (c === "\\") {
        const r = nextChar();
        if (r !== undefined && r !== "\n") continue;
        return false;
      }
      if (c === undefined || c === "\n") return false;
      if (c === quote) return true;
    }
  };

  // State machine: text, then actions; returns when done or on error.
  text: for (;;) {
    const x = input.indexOf(LEFT, pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) emit(T.Text);
      emit(T.EOF);
      return items;
    }
    pos = x;
    let trimLength = 0;
    if (hasLeftTrimMarker(input, pos + LEFT.length)) {
      const before = input.slice(start, pos);
      trimLength = before.length - before.replace(/[ \t\r\n]+$/, "").length;
    }
    pos -= trimLength;
    if (pos > start) emit(T.Text);
    pos += trimLength;
    start = pos;
    // Left delimiter.
    pos += LEFT.length;
    const trimSpace = hasLeftTrimMarker(input, pos);
    const afterMarker = trimSpace ? 2 : 0;
    if (input.startsWith("/*", pos + afterMarker)) {
      pos += afterMarker;
      start = pos;
      pos += 2;
      const i = input.indexOf("*/", pos);
      if (i < 0) {
        fail("unclosed comment");
        return items;
      }
      pos = i + 2;
      const [delim, trim] = atRightDelim();
      if (!delim) {
        fail("comment ends before closing delimiter");
        return items;
      }
      if (trim) pos += 2;
      pos += RIGHT.length;
      if (trim) while (isSpace(input[pos])) pos++;
      start = pos;
      continue;
    }
    emit(T.LeftDelim);
    pos += afterMarker;
    start = pos;
    parenDepth = 0;
    // Inside action.
    for (;;) {
      const [delim, trim] = atRightDelim();
      if (delim) {
        if (parenDepth !== 0) {
          fail("unclosed left paren");
          return items;
        }
        if (trim) {
          pos += 2;
          start = pos;
        }
        pos += RIGHT.length;
        emit(T.RightDelim);
        if (trim) {
          while (isSpace(input[pos])) pos++;
          start = pos;
        }
        continue text;
      }
      const r = nextChar();
      if (r === undefined) {
        fail("unclosed action");
        return items;
      }
      if (isSpace(r)) {
        pos--;
        let numSpaces = 0;
        while (isSpace(input[pos])) {
          pos++;
          numSpaces++;
        }
        if (hasRightTrimMarker(input, pos - 1) && input.startsWith(RIGHT, pos + 1)) {
          pos--;
          if (numSpaces === 1) continue;
        }
        emit(T.Space);
        continue;
      }
      switch (r) {
        case "=":
          emit(T.Assign);
          continue;
        case ":":
          if (nextChar() !== "=") {
            fail("expected :=");
            return items;
          }
          emit(T.Declare);
          continue;
        case "|":
          emit(T.Pipe);
          continue;
        case '"':
          if (!scanQuoted('"')) {
            fail("unterminated quoted string");
            return items;
          }
          emit(T.String);
          continue;
        case "`": {
          const end = input.indexOf("`", pos);
          if (end < 0) {
            fail("unterminated raw quoted string");
            return items;
          }
          pos = end + 1;
          emit(T.RawString);
          continue;
        }
        case "'":
          if (!scanQuoted("'")) {
            fail("unterminated character constant");
            return items;
          }
          emit(T.CharConstant);
          continue;
        case "$":
        case ".": {
          const typ = r === "$" ? T.Variable : T.Field;
          if (r === ".") {
            const n = input[pos];
            if (n !== undefined && n >= "0" && n <= "9") {
              pos--;
              if (!lexNumber()) return items;
              continue;
            }
          }
          if (atTerminator()) {
            emit(r === "$" ? T.Variable : T.Dot);
            continue;
          }
          let c: string | undefined;
          for (;;) {
            c = nextChar();
            if (!isAlphaNumeric(c)) {
              if (c !== undefined) pos -= c.length;
              else pos--;
              break;
            }
          }
          if (!atTerminator()) {
            fail(`bad character ${sharpU(c ?? "")}`);
            return items;
          }
          emit(typ);
          continue;
        }
        case "(":
          emit(T.LeftParen);
          parenDepth++;
          continue;
        case ")":
          emit(T.RightParen);
          parenDepth--;
          if (parenDepth < 0) {
            fail(`unexpected right paren ${sharpU(r)}`);
            return items;
          }
          continue;
      }
      if (r === "+" || r === "-" || (r >= "0" && r <= "9")) {
        pos--;
        if (!lexNumber()) return items;
        continue;
      }
      if (isAlphaNumeric(r)) {
        let c: string | undefined;
        for (;;) {
          c = nextChar();
          if (!isAlphaNumeric(c)) {
            if (c !== undefined) pos -= c.length;
            else pos--;
            break;
          }
        }
        const word = input.slice(start, pos);
        if (!atTerminator()) {
          fail(`bad character ${sharpU(c ?? "")}`);
          return items;
        }
        const kw = KEYWORDS[word];
        if (kw !== undefined && Object.hasOwn(KEYWORDS, word)) {
          if ((kw === T.Break && !breakOK) || (kw === T.Continue && !continueOK)) emit(T.Identifier);
          else emit(kw);
        } else if (word === "true" || word === "false") emit(T.Bool);
        else emit(T.Identifier);
        continue;
      }
      const code = r.codePointAt(0)!;
      if (code < 0x80 && code >= 0x20 && code < 0x7f) {
        emit(T.Char);
        continue;
      }
      fail(`unrecognized character in action: ${sharpU(r)}`);
      return items;
    }
  }

  function lexNumber(): boolean {
    if (!scanNumber()) {
      fail(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
      return false;
    }
    const sign = input[pos];
    if (sign === "+" || sign === "-") {
      if (!scanNumber() || input[pos - 1] !== "i") {
        fail(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
        return false;
      }
      emit(T.Complex);
    } else emit(T.Number);
    return true;
  }
}
