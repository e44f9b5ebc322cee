import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAutomake } from '../../src/parse/automake.js';
import { parseM4 } from '../../src/parse/m4.js';
import { parseMakeCfg } from '../../src/parse/make-cfg.js';
import { SourceError } from '../../src/parse/source-error.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/malformed');
const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { errors: Record<string, number> };

function parserFor(name: string) {
  if (name.endsWith('.Makefile.am')) return parseAutomake;
  if (name.endsWith('.configure.ac')) return parseM4;
  return parseMakeCfg;
}

describe('malformed build files give a located SourceError, never a crash', () => {
  it.each(Object.entries(expected.errors))('%s fails at line %i', (name, line) => {
    const text = readFileSync(path.join(dir, name), 'latin1');
    let err: unknown;
    try {
      parserFor(name)(text, `fixtures/malformed/${name}`);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SourceError);
    const se = err as SourceError;
    expect(se.file).toBe(`fixtures/malformed/${name}`);
    expect(se.line).toBe(line);
    expect(se.message.length).toBeGreaterThan(10);
    expect(se.hint).toBeTruthy();
  });

  it('names what is wrong', () => {
    const msg = (name: string) => {
      try {
        parserFor(name)(readFileSync(path.join(dir, name), 'latin1'), name);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(msg('unclosed-quote.configure.ac')).toMatch(/quote/);
    expect(msg('unterminated-call.configure.ac')).toMatch(/AM_CONDITIONAL/);
    expect(msg('endif-without-if.Makefile.am')).toMatch(/endif.*without/);
    expect(msg('mismatched-endif.Makefile.am')).toMatch(/sh7045.*sh7032/);
    expect(msg('unterminated-define.cfg')).toMatch(/define bsp-post-link.*never closed/);
    expect(msg('else-twice.cfg')).toMatch(/one `else`/);
    expect(msg('else-twice.Makefile.am')).toMatch(/second `else`/);
  });

  it('rejects changequote loudly instead of mis-reading the quotes', () => {
    expect(() => parseM4('changequote(<,>)\nAC_INIT(<x>)\n', 'cq.m4')).toThrow(SourceError);
  });

  it('reports the line of an error in CRLF text like in LF text', () => {
    const lf = 'a = 1\nifeq (a,b)\nx = 2\n';
    for (const t of [lf, lf.replace(/\n/g, '\r\n')]) {
      try {
        parseMakeCfg(t, 'f.cfg');
        expect.unreachable();
      } catch (e) {
        expect((e as SourceError).line).toBe(2);
      }
    }
  });
});
