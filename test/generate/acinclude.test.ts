import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTree } from '../../src/model/tree.js';
import {
  acincludeArches,
  acincludeFamilies,
  bootstrapOrder,
  generateAcinclude,
  renderAcinclude,
  sameArms,
} from '../../src/generate/acinclude.js';

// `acinclude-*.expected` are what RTEMS 4.11's bootstrap function
// generate_bspdir_acinclude wrote in a directory of our own family names.
const FIX = path.resolve(__dirname, '../../fixtures/generate');
const read = (f: string): string => readFileSync(path.join(FIX, f), 'latin1');
const MIXED = ['pc386', 'i386virt', 'virtex', 'virtex4', 'xilinx', 'xilinx-zynq', 'TLL6527M', 'eZKit533', 'no_bsp'];

describe('bootstrapOrder', () => {
  it('is byte order of `<name>/bsp_specs`: uppercase first, `-` before `/`', () => {
    expect(bootstrapOrder(MIXED)).toEqual(['TLL6527M', 'eZKit533', 'i386virt', 'no_bsp', 'pc386', 'virtex', 'virtex4', 'xilinx-zynq', 'xilinx']);
  });
  it('does not change its argument', () => {
    const names = ['b', 'a'];
    bootstrapOrder(names);
    expect(names).toEqual(['b', 'a']);
  });
});

describe('renderAcinclude against bootstrap output', () => {
  it('families in bootstrap order', () => {
    expect(renderAcinclude(bootstrapOrder(MIXED))).toBe(read('acinclude-mixed.expected'));
  });
  it('no family at all', () => {
    expect(renderAcinclude([])).toBe(read('acinclude-empty.expected'));
  });
  it('keeps the order it is given', () => {
    expect(renderAcinclude(['b', 'a']).indexOf('  b )')).toBeLessThan(renderAcinclude(['b', 'a']).indexOf('  a )'));
  });
});

describe('generateAcinclude on a tree', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const mkTree = (files: Record<string, string>): string => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'rvc-acinc-'));
    dirs.push(root);
    const all = { 'configure.ac': 'AC_INIT\n', 'cpukit/score/cpu/i386/cpu.c': '', ...files };
    for (const [rel, text] of Object.entries(all)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    return root;
  };
  const specs = '%rename endfile old_endfile\n';

  it('4.x layout: libbsp/<arch>/<family>/bsp_specs; dirs without bsp_specs are not families', () => {
    const lib = 'c/src/lib/libbsp';
    const tree = loadTree(
      mkTree({
        [`${lib}/i386/configure.ac`]: 'RTEMS_CHECK_BSPDIR([$RTEMS_BSP_FAMILY])\n',
        [`${lib}/i386/pc386/bsp_specs`]: specs,
        [`${lib}/i386/i386virt/bsp_specs`]: specs,
        [`${lib}/i386/shared/comm/uart.c`]: '',
        [`${lib}/i386/.old/bsp_specs`]: specs,
        [`${lib}/sparc/configure.ac`]: 'RTEMS_CHECK_BSPDIR([$RTEMS_BSP_FAMILY])\n',
        [`${lib}/sparc/erc32/bsp_specs`]: specs,
        [`${lib}/shared/bootcard.c`]: '',
      }),
    );
    expect(acincludeFamilies(tree, 'i386')).toEqual(['i386virt', 'pc386']);
    expect(generateAcinclude(tree, 'i386')).toBe(renderAcinclude(['i386virt', 'pc386']));
    expect(generateAcinclude(tree, 'sparc')).toContain('  erc32 )\n    AC_CONFIG_SUBDIRS([erc32]);;\n');
    expect(generateAcinclude(tree, 'sparc')).not.toContain('pc386');
    expect(acincludeArches(tree)).toEqual(['i386', 'sparc']);
  });

  it('5 layout: bsps/<arch>/<family>/start/bsp_specs', () => {
    const tree = loadTree(
      mkTree({
        'c/src/lib/libbsp/arm/configure.ac': 'RTEMS_CHECK_BSPDIR([$RTEMS_BSP_FAMILY])\n',
        'c/src/lib/libbsp/arm/xilinx-zynq/configure.ac': '',
        'bsps/arm/xilinx-zynq/start/bsp_specs': specs,
        'bsps/arm/xilinx-zynqmp/start/bsp_specs': specs,
        'bsps/arm/shared/start/start.S': '',
        'bsps/arm/imx/bsp_specs': specs, // not where 5 keeps it
      }),
    );
    expect(tree.layout).toBe('5');
    expect(generateAcinclude(tree, 'arm')).toBe(renderAcinclude(['xilinx-zynq', 'xilinx-zynqmp']));
  });
});

describe('sameArms', () => {
  const fams = bootstrapOrder(MIXED);
  it('accepts the generator output and a reordering of it (another locale)', () => {
    expect(sameArms(renderAcinclude(fams), fams)).toBe(true);
    expect(sameArms(renderAcinclude([...fams].reverse()), fams)).toBe(true);
  });
  it('rejects a missing or extra family, and an arm whose subdir differs', () => {
    expect(sameArms(renderAcinclude(fams.slice(1)), fams)).toBe(false);
    expect(sameArms(renderAcinclude([...fams, 'gone']), fams)).toBe(false);
    expect(sameArms(renderAcinclude(['a']).replace('([a])', '([b])'), ['a'])).toBe(false);
  });
  it('rejects text that is not this generator shape', () => {
    expect(sameArms(renderAcinclude(fams) + '\n', fams)).toBe(false);
    expect(sameArms('', [])).toBe(false);
  });
});
