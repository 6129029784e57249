/**
 * encoding/json's syntax check (scanner.go checkValid), ported state for state so that a document
 * Go refuses is refused with Go's words.
 */

/** Go's error for an output that does not decode: `message` is encoding/json's text. */
export class GoJsonError extends Error {
  override name = "GoJsonError";
}

type Step = (c: number) => void;

const MAX_DEPTH = 10_000;

// encoding/json scanner.go: one state function per position, fed byte by byte.
class Scanner {
  step: Step = (c) => this.beginValue(c);
  readonly stack: ("key" | "value" | "array")[] = [];
  endTop = false;
  err: string | undefined;

  check(bytes: Uint8Array): void {
    for (const c of bytes) {
      this.step(c);
      if (this.err !== undefined) throw new GoJsonError(this.err);
    }
    // scanner.eof: a value that may still go on ends at a space; anything else is cut short.
    if (this.err === undefined && !this.endTop) this.step(0x20);
    if (this.err !== undefined) throw new GoJsonError(this.err);
    if (!this.endTop) throw new GoJsonError("unexpected end of JSON input");
  }

  error(c: number, context: string): void {
    this.step = () => {};
    this.err ??= `invalid character ${quoteChar(c)} ${context}`;
  }

  push(c: number, state: "key" | "array"): void {
    this.stack.push(state);
    if (this.stack.length > MAX_DEPTH) this.error(c, "exceeded max depth");
  }

  pop(): void {
    this.stack.pop();
    if (this.stack.length === 0) {
      this.step = (c) => this.endOfTop(c);
      this.endTop = true;
    } else {
      this.step = (c) => this.endValue(c);
    }
  }

  beginValueOrEmpty(c: number): void {
    if (isSpace(c)) return;
    if (c === 0x5d) {
      this.endValue(c);
      return;
    }
    this.beginValue(c);
  }

  beginValue(c: number): void {
    if (isSpace(c)) return;
    switch (c) {
      case 0x7b: // {
        this.step = (x) => this.beginStringOrEmpty(x);
        this.push(c, "key");
        return;
      case 0x5b: // [
        this.step = (x) => this.beginValueOrEmpty(x);
        this.push(c, "array");
        return;
      case 0x22: // "
        this.step = (x) => this.inString(x);
        return;
      case 0x2d: // -
        this.step = (x) => this.neg(x);
        return;
      case 0x30: // 0
        this.step = (x) => this.zero(x);
        return;
      case 0x74: // t
        this.literal("true", 1);
        return;
      case 0x66: // f
        this.literal("false", 1);
        return;
      case 0x6e: // n
        this.literal("null", 1);
        return;
    }
    if (c >= 0x31 && c <= 0x39) {
      this.step = (x) => this.digits(x);
      return;
    }
    this.error(c, "looking for beginning of value");
  }

  beginStringOrEmpty(c: number): void {
    if (isSpace(c)) return;
    if (c === 0x7d) {
      this.stack[this.stack.length - 1] = "value";
      this.endValue(c);
      return;
    }
    this.beginString(c);
  }

  beginString(c: number): void {
    if (isSpace(c)) return;
    if (c === 0x22) {
      this.step = (x) => this.inString(x);
      return;
    }
    this.error(c, "looking for beginning of object key string");
  }

  endValue(c: number): void {
    const n = this.stack.length;
    if (n === 0) {
      this.step = (x) => this.endOfTop(x);
      this.endTop = true;
      this.endOfTop(c);
      return;
    }
    if (isSpace(c)) {
      this.step = (x) => this.endValue(x);
      return;
    }
    switch (this.stack[n - 1]) {
      case "key":
        if (c === 0x3a) {
          this.stack[n - 1] = "value";
          this.step = (x) => this.beginValue(x);
          return;
        }
        this.error(c, "after object key");
        return;
      case "value":
        if (c === 0x2c) {
          this.stack[n - 1] = "key";
          this.step = (x) => this.beginString(x);
          return;
        }
        if (c === 0x7d) {
          this.pop();
          return;
        }
        this.error(c, "after object key:value pair");
        return;
      default:
        if (c === 0x2c) {
          this.step = (x) => this.beginValue(x);
          return;
        }
        if (c === 0x5d) {
          this.pop();
          return;
        }
        this.error(c, "after array element");
        return;
    }
  }

  endOfTop(c: number): void {
    if (!isSpace(c)) this.error(c, "after top-level value");
  }

  inString(c: number): void {
    if (c === 0x22) {
      this.step = (x) => this.endValue(x);
      return;
    }
    if (c === 0x5c) {
      this.step = (x) => this.inStringEsc(x);
      return;
    }
    if (c < 0x20) this.error(c, "in string literal");
  }

  inStringEsc(c: number): void {
    if ('bfnrt\\/"'.includes(String.fromCharCode(c))) {
      this.step = (x) => this.inString(x);
      return;
    }
    if (c === 0x75) {
      this.step = (x) => this.inStringEscU(x, 4);
      return;
    }
    this.error(c, "in string escape code");
  }

  inStringEscU(c: number, left: number): void {
    if (!isHex(c)) {
      this.error(c, "in \\u hexadecimal character escape");
      return;
    }
    this.step = left === 1 ? (x) => this.inString(x) : (x) => this.inStringEscU(x, left - 1);
  }

  neg(c: number): void {
    if (c === 0x30) {
      this.step = (x) => this.zero(x);
      return;
    }
    if (c >= 0x31 && c <= 0x39) {
      this.step = (x) => this.digits(x);
      return;
    }
    this.error(c, "in numeric literal");
  }

  digits(c: number): void {
    if (isDigit(c)) return;
    this.zero(c);
  }

  zero(c: number): void {
    if (c === 0x2e) {
      this.step = (x) => this.dot(x);
      return;
    }
    if (c === 0x65 || c === 0x45) {
      this.step = (x) => this.exponent(x);
      return;
    }
    this.endValue(c);
  }

  dot(c: number): void {
    if (isDigit(c)) {
      this.step = (x) => this.dotDigits(x);
      return;
    }
    this.error(c, "after decimal point in numeric literal");
  }

  dotDigits(c: number): void {
    if (isDigit(c)) return;
    if (c === 0x65 || c === 0x45) {
      this.step = (x) => this.exponent(x);
      return;
    }
    this.endValue(c);
  }

  exponent(c: number): void {
    if (c === 0x2b || c === 0x2d) {
      this.step = (x) => this.exponentSign(x);
      return;
    }
    this.exponentSign(c);
  }

  exponentSign(c: number): void {
    if (isDigit(c)) {
      this.step = (x) => this.exponentDigits(x);
      return;
    }
    this.error(c, "in exponent of numeric literal");
  }

  exponentDigits(c: number): void {
    if (isDigit(c)) return;
    this.endValue(c);
  }

  // stateT, stateTr, … stateNul: the literal's next letter or "in literal true (expecting 'r')".
  literal(word: string, at: number): void {
    this.step = (c) => {
      if (c !== word.charCodeAt(at)) {
        this.error(c, `in literal ${word} (expecting '${word[at]}')`);
        return;
      }
      if (at + 1 === word.length) this.step = (x) => this.endValue(x);
      else this.literal(word, at + 1);
    };
  }
}

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

// scanner.go quoteChar: a byte shown as Go's strconv.Quote shows the rune of the same number.
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  const escapes: Record<number, string> = {
    7: "\\a",
    8: "\\b",
    9: "\\t",
    10: "\\n",
    11: "\\v",
    12: "\\f",
    13: "\\r",
  };
  if (c === 0x5c) return "'\\\\'";
  const escaped = escapes[c];
  if (escaped) return `'${escaped}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, "0")}'`;
  // Latin-1 runes strconv.IsPrint refuses: C1 controls, no-break space, soft hyphen.
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u00${c.toString(16).padStart(2, "0")}'`;
  return `'${String.fromCharCode(c)}'`;
}

/** Go's checkValid: throws a {@link GoJsonError} with the scanner's text unless `bytes` is one JSON value. */
export function checkValid(bytes: Uint8Array): void {
  new Scanner().check(bytes);
}
