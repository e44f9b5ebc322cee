/** Physical and logical lines of make-like text, with exact line terminators kept. */

export interface PhysicalLine {
  /** Text of the line without its terminator. */
  text: string;
  /** The terminator: "\n", "\r\n" or "" for a last line without one. */
  eol: string;
  /** 1-based line number. */
  line: number;
}

function splitPhysicalLines(text: string): PhysicalLine[] {
  const out: PhysicalLine[] = [];
  let start = 0;
  let line = 1;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      out.push({ text: text.slice(start), eol: '', line });
      break;
    }
    const cr = nl > start && text[nl - 1] === '\r';
    out.push({ text: text.slice(start, cr ? nl - 1 : nl), eol: cr ? '\r\n' : '\n', line });
    start = nl + 1;
    line++;
  }
  return out;
}

/** True when a line ends with an odd number of backslashes (a make continuation). */
function continues(text: string): boolean {
  let n = 0;
  for (let i = text.length - 1; i >= 0 && text[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/** A logical line: one or more physical lines joined by backslash-newline. */
export interface LogicalLine {
  /** The exact source text, terminators included. */
  raw: string;
  /** The physical lines it spans. */
  parts: PhysicalLine[];
  /** First and last physical line numbers. */
  line: number;
  endLine: number;
}

export function logicalLines(text: string): LogicalLine[] {
  const phys = splitPhysicalLines(text);
  const out: LogicalLine[] = [];
  for (let i = 0; i < phys.length; ) {
    const parts: PhysicalLine[] = [phys[i]!];
    while (continues(parts[parts.length - 1]!.text) && i + parts.length < phys.length) {
      parts.push(phys[i + parts.length]!);
    }
    out.push({
      raw: parts.map((p) => p.text + p.eol).join(''),
      parts,
      line: parts[0]!.line,
      endLine: parts[parts.length - 1]!.line,
    });
    i += parts.length;
  }
  return out;
}

/**
 * The text make sees for a logical line: each backslash-newline and the
 * whitespace around it become one space (GNU make, outside recipes).
 */
export function joinContinuations(parts: PhysicalLine[]): string {
  if (parts.length === 1) return parts[0]!.text;
  let s = '';
  parts.forEach((p, i) => {
    let t = p.text;
    if (i > 0) t = t.replace(/^[ \t]+/, '');
    if (i < parts.length - 1) {
      t = t.slice(0, -1).replace(/[ \t]+$/, '');
      s += t + ' ';
    } else {
      s += t;
    }
  });
  return s;
}

/** Removes a make comment (an unescaped `#`) from a line. */
export function stripMakeComment(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '#') {
      let bs = 0;
      for (let j = i - 1; j >= 0 && s[j] === '\\'; j--) bs++;
      if (bs % 2 === 0) return s.slice(0, i);
    }
  }
  return s;
}

/**
 * GNU make's comment removal as `eval()` applies it to a line: an unescaped `#` starts a
 * comment; before a `#`, pairs of backslashes collapse to one and an odd one quotes the `#`
 * (`b\\#c` is `b#c`). Backslashes elsewhere are kept.
 */
export function makeUncomment(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const h = s.indexOf('#', i);
    if (h < 0) return out + s.slice(i);
    let bs = 0;
    while (h - bs - 1 >= i && s[h - bs - 1] === '\\') bs++;
    out += s.slice(i, h - bs) + '\\'.repeat(Math.floor(bs / 2));
    if (bs % 2 === 0) return out;
    out += '#';
    i = h + 1;
  }
  return out;
}
