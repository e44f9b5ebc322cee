/** `--arch` and `--bsp`: which arches, BSPs and files a run is about. */
import type { RtemsTree, BspVariant } from '../model/tree.js';
import { SourceError } from '../parse/source-error.js';
import type { Scope } from './types.js';

/** The arch a path belongs to, when it lives in a per-arch directory. */
function archOfFile(file: string): string | undefined {
  const m = /^(?:cpukit\/score\/cpu|c\/src\/lib\/libbsp|c\/src\/lib\/libcpu|bsps)\/([^/]+)\//.exec(file);
  if (!m || m[1] === 'shared') return undefined;
  return m[1];
}

/** The BSP family directory a path lies in, as `<arch>/<family>`. */
function familyOfFile(file: string): string | undefined {
  const m = /^(?:c\/src\/lib\/libbsp|bsps)\/([^/]+)\/([^/]+)\//.exec(file);
  if (!m || m[1] === 'shared' || m[2] === 'shared') return undefined;
  return `${m[1]}/${m[2]}`;
}

export function makeScope(tree: RtemsTree, options: { arch?: string | string[]; bsp?: string }): Scope {
  const wanted = options.arch === undefined ? [] : (Array.isArray(options.arch) ? options.arch : [options.arch]).flatMap((a) => a.split(/[\s,]+/)).filter(Boolean);
  const known = new Set([...tree.arches, ...tree.families.map((f) => f.arch), ...tree.bsps.map((b) => b.arch)]);
  for (const a of wanted) {
    if (!known.has(a)) {
      throw new SourceError(tree.root, 0, `no arch ${a} in this tree`, { hint: `the arches are: ${[...known].sort().join(', ')}` });
    }
  }
  let bsp: BspVariant | undefined;
  if (options.bsp !== undefined) {
    const hits = tree.bsps.filter((b) => b.name === options.bsp && (wanted.length === 0 || wanted.includes(b.arch)));
    if (hits.length === 0) {
      throw new SourceError(tree.root, 0, `no BSP named ${options.bsp}${wanted.length ? ` for ${wanted.join(', ')}` : ''} in this tree`, {
        hint: 'run `rtems-virt-config list bsps` to see the BSPs this tree offers',
      });
    }
    const arches = [...new Set(hits.map((h) => h.arch))];
    if (arches.length > 1) {
      throw new SourceError(tree.root, 0, `BSP ${options.bsp} exists for several CPUs: ${arches.join(', ')}`, { hint: 'say which with --arch' });
    }
    bsp = hits[0];
  }
  const arches = bsp ? [bsp.arch] : wanted.length > 0 ? wanted : [...known].sort();
  const archSet = new Set(arches);
  const narrowed = bsp !== undefined || wanted.length > 0;
  return {
    arches,
    ...(bsp ? { bsp } : {}),
    hasArch: (a) => archSet.has(a),
    hasFile(file) {
      if (!narrowed) return true;
      const a = archOfFile(file);
      if (a !== undefined && !archSet.has(a)) return false;
      if (bsp) {
        const fam = familyOfFile(file);
        if (fam !== undefined && fam !== `${bsp.arch}/${bsp.family}`) return false;
      }
      return true;
    },
    bsps: () => (bsp ? [bsp] : tree.bsps.filter((b) => archSet.has(b.arch))),
  };
}
