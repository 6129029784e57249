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
const ALNUM = /[\p{L}\p{Nd}_]/u;

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

function isAlnumAscii(c: number): boolean {
  return c === 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Go's `%#U` of a character: `U+0021 '!'`. */
function sharpU(c: string): string {
  const cp = c.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")} '${c}'`;
}

const DIGITS_DEC = "0123456789_";
const DIGITS_HEX = "0123456789abcdefABCDEF_";
const DIGITS_OCT = "01234567_";
const DIGITS_BIN = "01_";

/** Go's lexer state machine over char codes (no per-character allocation, no closures per call). */
class Lexer {
  readonly items: Token[] = [];
  pos = 0;
  start = 0;
  parenDepth = 0;

  constructor(
    readonly input: string,
    readonly breakOK: boolean,
    readonly continueOK: boolean,
  ) {}

  code(i: number): number {
    return i < this.input.length ? this.input.charCodeAt(i) : -1;
  }

  emit(t: T): void {
    this.items.push({ t, pos: this.start, val: this.input.slice(this.start, this.pos) });
    this.start = this.pos;
  }

  fail(msg: string): false {
    this.items.push({ t: T.Error, pos: this.start, val: msg });
    return false;
  }

  hasLeftTrimMarker(i: number): boolean {
    return this.code(i) === 45 && isSpaceCode(this.code(i + 1));
  }

  hasRightTrimMarker(i: number): boolean {
    return isSpaceCode(this.code(i)) && this.code(i + 1) === 45;
  }

  /** 0: not at the right delimiter; 1: at it; 2: at it with a trim marker. */
  atRightDelim(): 0 | 1 | 2 {
    if (this.hasRightTrimMarker(this.pos) && this.input.startsWith(RIGHT, this.pos + 2)) return 2;
    if (this.input.startsWith(RIGHT, this.pos)) return 1;
    return 0;
  }

  atTerminator(): boolean {
    const r = this.code(this.pos);
    if (r === -1 || isSpaceCode(r)) return true;
    // . , | : ) (
    if (r === 46 || r === 44 || r === 124 || r === 58 || r === 41 || r === 40) return true;
    return this.input.startsWith(RIGHT, this.pos);
  }

  /** Advances over alphanumerics (Go's isAlphaNumeric, Unicode-aware); returns the stopping char. */
  scanAlnum(): string {
    const input = this.input;
    for (;;) {
      const c = this.code(this.pos);
      if (c === -1) return "";
      if (c < 0x80) {
        if (!isAlnumAscii(c)) return input[this.pos]!;
        this.pos++;
        continue;
      }
      const ch = String.fromCodePoint(input.codePointAt(this.pos)!);
      if (!ALNUM.test(ch)) return ch;
      this.pos += ch.length;
    }
  }

  accept(valid: string): boolean {
    const c = this.input[this.pos];
    if (c !== undefined && valid.includes(c)) {
      this.pos++;
      return true;
    }
    return false;
  }

  acceptRun(valid: string): void {
    while (this.pos < this.input.length && valid.includes(this.input[this.pos]!)) this.pos++;
  }

  scanNumber(): boolean {
    this.accept("+-");
    let digits = DIGITS_DEC;
    if (this.accept("0")) {
      if (this.accept("xX")) digits = DIGITS_HEX;
      else if (this.accept("oO")) digits = DIGITS_OCT;
      else if (this.accept("bB")) digits = DIGITS_BIN;
    }
    this.acceptRun(digits);
    if (this.accept(".")) this.acceptRun(digits);
    if (digits === DIGITS_DEC && this.accept("eE")) {
      this.accept("+-");
      this.acceptRun(DIGITS_DEC);
    }
    if (digits === DIGITS_HEX && this.accept("pP")) {
      this.accept("+-");
      this.acceptRun(DIGITS_DEC);
    }
    this.accept("i");
    const c = this.code(this.pos);
    if (c === -1) return true;
    const ch = String.fromCodePoint(this.input.codePointAt(this.pos)!);
    if (c < 0x80 ? isAlnumAscii(c) : ALNUM.test(ch)) {
      this.pos += ch.length;
      return false;
    }
    return true;
  }

  lexNumber(): boolean {
    const bad = () =>
      this.fail(`bad number syntax: ${JSON.stringify(this.input.slice(this.start, this.pos))}`);
    if (!this.scanNumber()) return bad();
    const sign = this.code(this.pos);
    if (sign === 43 || sign === 45) {
      if (!this.scanNumber() || this.input[this.pos - 1] !== "i") return bad();
      this.emit(T.Complex);
    } else this.emit(T.Number);
    return true;
  }

  /** Scans a quoted body after the opening quote; false on an unterminated constant. */
  scanQuoted(quote: number): boolean {
    for (;;) {
      const c = this.code(this.pos);
      this.pos++;
      if (c === 92) {
        const r = this.code(this.pos);
        this.pos++;
        if (r !== -1 && r !== 10) continue;
        return false;
      }
      if (c === -1 || c === 10) return false;
      if (c === quote) return true;
    }
  }

  /** Text up to the next action; returns false at EOF. */
  lexText(): boolean {
    const input = this.input;
    const x = input.indexOf(LEFT, this.pos);
    if (x < 0) {
      this.pos = input.length;
      if (this.pos > this.start) this.emit(T.Text);
      this.emit(T.EOF);
      return false;
    }
    this.pos = x;
    let trim = 0;
    if (this.hasLeftTrimMarker(this.pos + LEFT.length)) {
      let j = this.pos;
      while (j > this.start && isSpaceCode(input.charCodeAt(j - 1))) j--;
      trim = this.pos - j;
    }
    this.pos -= trim;
    if (this.pos > this.start) this.emit(T.Text);
    this.pos += trim;
    this.start = this.pos;
    return true;
  }

  /** The left delimiter, then a comment or an action; false on error. */
  lexAction(): boolean {
    const input = this.input;
    this.pos += LEFT.length;
    const afterMarker = this.hasLeftTrimMarker(this.pos) ? 2 : 0;
    if (input.startsWith("/*", this.pos + afterMarker)) {
      this.pos += afterMarker;
      this.start = this.pos;
      const i = input.indexOf("*/", this.pos + 2);
      if (i < 0) return this.fail("unclosed comment");
      this.pos = i + 2;
      const delim = this.atRightDelim();
      if (delim === 0) return this.fail("comment ends before closing delimiter");
      if (delim === 2) this.pos += 2;
      this.pos += RIGHT.length;
      if (delim === 2) while (isSpaceCode(this.code(this.pos))) this.pos++;
      this.start = this.pos;
      return true;
    }
    this.emit(T.LeftDelim);
    this.pos += afterMarker;
    this.start = this.pos;
    this.parenDepth = 0;
    for (;;) {
      const delim = this.atRightDelim();
      if (delim !== 0) {
        if (this.parenDepth !== 0) return this.fail("unclosed left paren");
        if (delim === 2) {
          this.pos += 2;
          this.start = this.pos;
        }
        this.pos += RIGHT.length;
        this.emit(T.RightDelim);
        if (delim === 2) {
          while (isSpaceCode(this.code(this.pos))) this.pos++;
          this.start = this.pos;
        }
        return true;
      }
      if (!this.lexInside()) return false;
    }
  }

  /** One token inside an action; false on error. */
  lexInside(): boolean {
    const input = this.input;
    const c = this.code(this.pos);
    if (c === -1) return this.fail("unclosed action");
    if (isSpaceCode(c)) {
      let numSpaces = 0;
      while (isSpaceCode(this.code(this.pos))) {
        this.pos++;
        numSpaces++;
      }
      if (this.hasRightTrimMarker(this.pos - 1) && input.startsWith(RIGHT, this.pos + 1)) {
        this.pos--;
        if (numSpaces === 1) return true;
      }
      this.emit(T.Space);
      return true;
    }
    this.pos++;
    switch (c) {
      case 61: // =
        this.emit(T.Assign);
        return true;
      case 58: // :
        if (this.code(this.pos) !== 61) {
          this.pos++;
          return this.fail("expected :=");
        }
        this.pos++;
        this.emit(T.Declare);
        return true;
      case 124: // |
        this.emit(T.Pipe);
        return true;
      case 34: // "
        if (!this.scanQuoted(34)) return this.fail("unterminated quoted string");
        this.emit(T.String);
        return true;
      case 96: {
        // a raw string
        const end = input.indexOf("`", this.pos);
        if (end < 0) return this.fail("unterminated raw quoted string");
        this.pos = end + 1;
        this.emit(T.RawString);
        return true;
      }
      case 39: // '
        if (!this.scanQuoted(39)) return this.fail("unterminated character constant");
        this.emit(T.CharConstant);
        return true;
      case 36: // $
      case 46: {
        // . can also start a number
        if (c === 46) {
          const n = this.code(this.pos);
          if (n >= 48 && n <= 57) {
            this.pos--;
            return this.lexNumber();
          }
        }
        if (this.atTerminator()) {
          this.emit(c === 36 ? T.Variable : T.Dot);
          return true;
        }
        const stop = this.scanAlnum();
        if (!this.atTerminator()) return this.fail(`bad character ${sharpU(stop)}`);
        this.emit(c === 36 ? T.Variable : T.Field);
        return true;
      }
      case 40: // (
        this.emit(T.LeftParen);
        this.parenDepth++;
        return true;
      case 41: // )
        this.emit(T.RightParen);
        this.parenDepth--;
        if (this.parenDepth < 0) return this.fail(`unexpected right paren ${sharpU(")")}`);
        return true;
    }
    if (c === 43 || c === 45 || (c >= 48 && c <= 57)) {
      this.pos--;
      return this.lexNumber();
    }
    const first = String.fromCodePoint(input.codePointAt(this.pos - 1)!);
    this.pos += first.length - 1;
    if (c < 0x80 ? isAlnumAscii(c) : ALNUM.test(first)) {
      const stop = this.scanAlnum();
      const word = input.slice(this.start, this.pos);
      if (!this.atTerminator()) return this.fail(`bad character ${sharpU(stop)}`);
      const kw = Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word] : undefined;
      if (kw !== undefined) {
        if ((kw === T.Break && !this.breakOK) || (kw === T.Continue && !this.continueOK))
          this.emit(T.Identifier);
        else this.emit(kw);
      } else if (word === "true" || word === "false") this.emit(T.Bool);
      else this.emit(T.Identifier);
      return true;
    }
    if (c >= 0x20 && c < 0x7f) {
      this.emit(T.Char);
      return true;
    }
    return this.fail(`unrecognized character in action: ${sharpU(first)}`);
  }
}

/**
 * Tokenizes a template. Stops after the first error token, as Go's lexer does.
 * `break`/`continue` are keywords unless the func map defines functions of those names.
 */
export function lex(input: string, breakOK = true, continueOK = true): Token[] {
  const l = new Lexer(input, breakOK, continueOK);
  while (l.lexText() && l.lexAction()) {
    // Text and actions alternate until EOF or the first error.
  }
  return l.items;
}
