import type { JsonArray, JsonNode, JsonObject, JsonString } from './jsonNode';

/**
 * A JSON parser that keeps source offsets, never recurses (a file nested 100,000 levels deep
 * cannot overflow the stack) and never throws: syntax errors are reported with their offsets,
 * the parser skips to the next element of the enclosing array or object and goes on, and a
 * truncated document yields everything read before the cut. Python's NaN, Infinity and -Infinity
 * are read as numbers (json.dumps writes them by default).
 */

export interface JsonSyntaxError {
  message: string;
  start: number;
  end: number;
}

export interface JsonParseResult {
  value: JsonNode | null;
  errors: JsonSyntaxError[];
}

export interface JsonParseOptions {
  /** Containers nested deeper than this are skipped (replaced by a null) with an error. */
  maxDepth?: number;
  /** Stop after this many errors (the rest is too broken to be worth reporting). */
  maxErrors?: number;
}

export const DEFAULT_MAX_DEPTH = 1000;

/** The error for text after the value (the readers of JSONL and of streamed elements look for it). */
export const TRAILING_CONTENT = 'Unexpected content after the end of the JSON value';

/** The error at the end of a cut document, with the brackets left open. */
export function unclosedMessage(count: number): string {
  return `Unexpected end of input: ${count} unclosed ${count === 1 ? 'bracket' : 'brackets'}`;
}

const enum State {
  /** array just opened: a value or `]` */
  ArrayFirst,
  /** after `,` in an array: a value */
  ArrayNext,
  /** after a value in an array: `,` or `]` */
  ArrayAfter,
  /** object just opened: a key or `}` */
  ObjectFirst,
  /** after `,` in an object: a key */
  ObjectNext,
  /** after a key: `:` */
  ObjectColon,
  /** after `:`: a value */
  ObjectValue,
  /** after a property value: `,` or `}` */
  ObjectAfter,
}

interface Frame {
  node: JsonObject | JsonArray;
  state: State;
  key: string;
  keyStart: number;
}

class SyntaxFailure {
  constructor(
    readonly message: string,
    readonly start: number,
    readonly end: number,
  ) {}
}

export function parseJson(src: string, options: JsonParseOptions = {}): JsonParseResult {
  return new Parser(src, options.maxDepth ?? DEFAULT_MAX_DEPTH, options.maxErrors ?? 50).run();
}

/** The character at `i` as error messages name it (`'x'`, a control character by code, or the end). */
export function describeAt(src: string, i: number): string {
  if (i >= src.length) return 'end of input';
  const c = src.codePointAt(i)!;
  const ch = String.fromCodePoint(c);
  return c < 32 ? `control character U+${c.toString(16).padStart(4, '0').toUpperCase()}` : `'${ch}'`;
}

class Parser {
  private i = 0;
  private readonly stack: Frame[] = [];
  private readonly errors: JsonSyntaxError[] = [];
  private root: JsonNode | null = null;

  constructor(
    private readonly src: string,
    private readonly maxDepth: number,
    private readonly maxErrors: number,
  ) {}

  run(): JsonParseResult {
    const src = this.src;
    const n = src.length;
    for (;;) {
      this.skipWs();
      const stack = this.stack;
      if (stack.length === 0) {
        if (this.root !== null) {
          if (this.i < n) this.fail(new SyntaxFailure(TRAILING_CONTENT, this.i, n));
          break;
        }
        if (this.i >= n) {
          this.fail(new SyntaxFailure('Empty input: no JSON value', n, n));
          break;
        }
        try {
          this.value();
        } catch (e) {
          if (!(e instanceof SyntaxFailure)) throw e;
          this.fail(e);
          break; // nothing to resynchronise on at the top level
        }
        continue;
      }
      if (this.i >= n) {
        // one report per cut: an unterminated string at the end already said it
        if (this.errors[this.errors.length - 1]?.end !== n) {
          this.fail(new SyntaxFailure(unclosedMessage(stack.length), n, n));
        }
        for (const f of stack) f.node.end = n;
        stack.length = 0;
        if (this.root === null) break;
        continue;
      }
      if (this.errors.length >= this.maxErrors) {
        for (const f of stack) f.node.end = n;
        stack.length = 0;
        break;
      }
      try {
        this.step(stack[stack.length - 1]);
      } catch (e) {
        if (!(e instanceof SyntaxFailure)) throw e;
        this.fail(e);
        this.resync();
      }
    }
    return { value: this.root, errors: this.errors };
  }

  private fail(e: SyntaxFailure): void {
    // a place past the last character (a number or escape cut at the end) is clamped to the end
    const n = this.src.length;
    const start = Math.min(e.start, n);
    if (this.errors.length < this.maxErrors) this.errors.push({ message: e.message, start, end: Math.min(Math.max(e.end, start), n) });
  }

  private skipWs(): void {
    const src = this.src;
    let i = this.i;
    for (;;) {
      const c = src.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff) i++;
      else break;
    }
    this.i = i;
  }

  private step(f: Frame): void {
    const src = this.src;
    const c = src.charCodeAt(this.i);
    switch (f.state) {
      case State.ArrayFirst:
        if (c === 93 /* ] */) return this.close(f);
        f.state = State.ArrayAfter;
        return this.value();
      case State.ArrayNext:
        f.state = State.ArrayAfter;
        return this.value();
      case State.ArrayAfter:
        if (c === 44 /* , */) {
          this.i++;
          f.state = State.ArrayNext;
          return;
        }
        if (c === 93) return this.close(f);
        throw new SyntaxFailure(`Expected ',' or ']' after an array element, found ${describeAt(src, this.i)}`, this.i, this.i + 1);
      case State.ObjectFirst:
      case State.ObjectNext: {
        if (f.state === State.ObjectFirst && c === 125 /* } */) return this.close(f);
        if (c !== 34) throw new SyntaxFailure(`Expected a property name in double quotes, found ${describeAt(src, this.i)}`, this.i, this.i + 1);
        const keyStart = this.i;
        f.key = this.string().value;
        f.keyStart = keyStart;
        f.state = State.ObjectColon;
        return;
      }
      case State.ObjectColon:
        if (c !== 58 /* : */) throw new SyntaxFailure(`Expected ':' after the property name "${clip(f.key)}", found ${describeAt(src, this.i)}`, this.i, this.i + 1);
        this.i++;
        f.state = State.ObjectValue;
        return;
      case State.ObjectValue:
        f.state = State.ObjectAfter;
        return this.value();
      case State.ObjectAfter:
        if (c === 44) {
          this.i++;
          f.state = State.ObjectNext;
          return;
        }
        if (c === 125) return this.close(f);
        throw new SyntaxFailure(`Expected ',' or '}' after a property value, found ${describeAt(src, this.i)}`, this.i, this.i + 1);
    }
  }

  private close(f: Frame): void {
    this.i++;
    f.node.end = this.i;
    this.stack.pop();
  }

  private attach(node: JsonNode): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) this.root = node;
    else if (top.node.type === 'array') top.node.items.push(node);
    else top.node.properties.push({ key: top.key, keyStart: top.keyStart, value: node });
  }

  /** Reads one value at `i`: scalars whole, containers opened (pushed on the stack). */
  private value(): void {
    const src = this.src;
    const i = this.i;
    const c = src.charCodeAt(i);
    if (c === 34) return this.attach(this.string());
    if (c === 123 || c === 91) {
      if (this.stack.length >= this.maxDepth) {
        // the end of the container opening here (just past its closing bracket)
        const end = Math.min(levelEnd(src, i + 1, false) + 1, src.length);
        this.fail(new SyntaxFailure(`Nested deeper than ${this.maxDepth} levels: this value was skipped`, i, end));
        this.i = end;
        return this.attach({ type: 'null', value: null, start: i, end, skipped: true });
      }
      const node: JsonObject | JsonArray =
        c === 123 ? { type: 'object', properties: [], start: i, end: i } : { type: 'array', items: [], start: i, end: i };
      this.attach(node);
      this.stack.push({ node, state: c === 123 ? State.ObjectFirst : State.ArrayFirst, key: '', keyStart: 0 });
      this.i = i + 1;
      return;
    }
    // Python's json module writes NaN and Infinity unless told not to (allow_nan): Inspect, lm-eval and HELM logs hold them
    if (c === 78 && src.startsWith('NaN', i)) return this.nonFinite(3, NaN);
    if (c === 73 && src.startsWith('Infinity', i)) return this.nonFinite(8, Infinity);
    if (c === 45 && src.startsWith('-Infinity', i)) return this.nonFinite(9, -Infinity);
    if (c === 45 || (c >= 48 && c <= 57)) return this.attach(this.number());
    if (c === 116 && src.startsWith('true', i)) return this.literal(4, true);
    if (c === 102 && src.startsWith('false', i)) return this.literal(5, false);
    if (c === 110 && src.startsWith('null', i)) return this.literal(4, null);
    if (i >= src.length) throw new SyntaxFailure('Unexpected end of input where a value was expected', i, i);
    const word = /^[A-Za-z_$][\w$]*/.exec(src.slice(i, i + 40));
    const what = word ? `'${word[0]}'` : describeAt(src, i);
    throw new SyntaxFailure(`Unexpected ${what} where a value was expected`, i, i + (word ? word[0].length : 1));
  }

  private nonFinite(len: number, value: number): void {
    const start = this.i;
    this.i += len;
    this.attach({ type: 'number', value, start, end: this.i });
  }

  private literal(len: number, value: boolean | null): void {
    const start = this.i;
    this.i += len;
    this.attach(value === null ? { type: 'null', value: null, start, end: this.i } : { type: 'boolean', value, start, end: this.i });
  }

  private number(): JsonNode {
    const src = this.src;
    const start = this.i;
    let i = start;
    if (src.charCodeAt(i) === 45) i++;
    const intStart = i;
    while (isDigit(src.charCodeAt(i))) i++;
    if (i === intStart) throw new SyntaxFailure(`Invalid number: expected a digit after '-'`, start, i + 1);
    if (src.charCodeAt(intStart) === 48 && i - intStart > 1) throw new SyntaxFailure('Invalid number: leading zero', start, i);
    if (src.charCodeAt(i) === 46) {
      i++;
      const f = i;
      while (isDigit(src.charCodeAt(i))) i++;
      if (i === f) throw new SyntaxFailure("Invalid number: expected a digit after '.'", start, i + 1);
    }
    const e = src.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      const s = src.charCodeAt(i);
      if (s === 43 || s === 45) i++;
      const f = i;
      while (isDigit(src.charCodeAt(i))) i++;
      if (i === f) throw new SyntaxFailure('Invalid number: expected a digit in the exponent', start, i + 1);
    }
    this.i = i;
    return { type: 'number', value: Number(src.slice(start, i)), start, end: i };
  }

  /**
   * Reads a string at `i` (which holds `"`). The closing quote, backslashes and line breaks are
   * found with indexOf (native, fast on long texts); the next backslash and line break are kept
   * from one string to the next, so a long line of short strings is not searched again and again.
   */
  private string(): JsonString {
    const src = this.src;
    const n = src.length;
    const start = this.i;
    let i = start + 1;
    let quote = src.indexOf('"', i);
    if (quote < 0) quote = n;
    let backslash = this.nextBackslash(i);
    const lineBreak = this.nextLineBreak(i);
    if (backslash >= quote && lineBreak >= quote) {
      if (quote === n) throw new SyntaxFailure('Unterminated string', start, n);
      this.i = quote + 1;
      return { type: 'string', value: src.slice(i, quote), escaped: false, start, end: quote + 1 };
    }
    let value = '';
    for (;;) {
      if (this.nextLineBreak(i) < Math.min(quote, backslash)) throw new SyntaxFailure('Unterminated string', start, this.nextLineBreak(i));
      if (quote < backslash) break;
      if (backslash >= n) throw new SyntaxFailure('Unterminated string', start, n);
      value += src.slice(i, backslash);
      i = backslash;
      const e = src.charCodeAt(i + 1);
      switch (e) {
        case 34: value += '"'; break;
        case 92: value += '\\'; break;
        case 47: value += '/'; break;
        case 98: value += '\b'; break;
        case 102: value += '\f'; break;
        case 110: value += '\n'; break;
        case 114: value += '\r'; break;
        case 116: value += '\t'; break;
        case 117: {
          const hex = src.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new SyntaxFailure('Invalid \\u escape: expected four hex digits', i, i + 2 + hex.length);
          value += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          throw new SyntaxFailure(`Invalid escape ${JSON.stringify(src.slice(i, i + 2))} in a string`, i, i + 2);
      }
      i += 2;
      if (quote < i) {
        quote = src.indexOf('"', i);
        if (quote < 0) quote = n;
      }
      backslash = this.nextBackslash(i);
    }
    value += src.slice(i, quote);
    this.i = quote + 1;
    return { type: 'string', value, escaped: true, start, end: quote + 1 };
  }

  private backslashAt = -1;
  private lfAt = -1;
  private crAt = -1;

  /** Offset of the first backslash at or after i (the length of the source when none). */
  private nextBackslash(i: number): number {
    if (this.backslashAt < i) {
      const f = this.src.indexOf('\\', i);
      this.backslashAt = f < 0 ? this.src.length : f;
    }
    return this.backslashAt;
  }

  /** Offset of the first LF or CR at or after i (the length of the source when none). */
  private nextLineBreak(i: number): number {
    if (this.lfAt < i) {
      const f = this.src.indexOf('\n', i);
      this.lfAt = f < 0 ? this.src.length : f;
    }
    if (this.crAt < i) {
      const f = this.src.indexOf('\r', i);
      this.crAt = f < 0 ? this.src.length : f;
    }
    return Math.min(this.lfAt, this.crAt);
  }

  /**
   * After an error inside the top container: skip to the next `,` or closing bracket at its
   * level and carry on from there, so one bad element costs only itself.
   */
  private resync(): void {
    const f = this.stack[this.stack.length - 1];
    const i = levelEnd(this.src, this.i, true);
    if (i >= this.src.length) {
      this.i = i; // the end-of-input handler closes what is open
    } else if (this.src.charCodeAt(i) === 44) {
      this.i = i + 1;
      f.state = f.node.type === 'array' ? State.ArrayNext : State.ObjectNext;
    } else {
      this.i = i;
      this.close(f);
    }
  }
}

/**
 * Offset of the first closing bracket (or `,`, with `commas`) at the level of `i`, nested
 * containers and strings skipped; the length of the source when there is none.
 */
function levelEnd(src: string, i: number, commas: boolean): number {
  const n = src.length;
  let depth = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 34) {
      i = skipString(src, i);
      continue;
    }
    if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (depth === 0) return i;
      depth--;
    } else if (c === 44 && commas && depth === 0) return i;
    i++;
  }
  return n;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Offset just past the string starting at `i`; an unterminated string ends at the line break. */
function skipString(src: string, i: number): number {
  const n = src.length;
  i++;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 34) return i + 1;
    else if (c === 10 || c === 13) return i;
    else i++;
  }
  return n;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/**
 * Escapes of a JSON string node as [text offset, source length] pairs, for its TextMap.
 * Each escape decodes to exactly one UTF-16 code unit.
 */
export function jsonStringEscapes(src: string, node: JsonString): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (!node.escaped) return out;
  let t = 0;
  for (let i = node.start + 1; i < node.end - 1; ) {
    if (src.charCodeAt(i) === 92) {
      const len = src.charCodeAt(i + 1) === 117 ? 6 : 2;
      out.push([t, len]);
      i += len;
    } else i++;
    t++;
  }
  return out;
}
