/** Small, exact text edits on files the lossless parsers have read. */

/** The line terminator a file uses (CRLF when its first line ends so), for inserted lines to match. */
export function eolOf(text: string): string {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

/** Lines joined with the file's terminator, with a terminator after the last. */
export function lines(eol: string, ...ls: string[]): string {
  return ls.map((l) => l + eol).join('');
}

/** Start offset of each node of a document whose nodes carry their raw text in order. */
export function offsets(nodes: readonly { raw: string }[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const n of nodes) {
    out.push(at);
    at += n.raw.length;
  }
  return out;
}

export function insertAt(text: string, offset: number, insertion: string): string {
  return text.slice(0, offset) + insertion + text.slice(offset);
}

export function replaceRange(text: string, start: number, end: number, replacement: string): string {
  return text.slice(0, start) + replacement + text.slice(end);
}

/** Offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the line terminator of the line holding `offset` (or the end of the text). */
export function lineEndAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}
