/**
 * The files under `templates/` that `patch` writes into a tree: the hypervisor interface and the
 * code every `<arch>virt` model shares (`templates/libcpu/shared/virt/`: its files are built into
 * each paravirtualized score, its `bsp/` subdirectory into each `<arch>virt` BSP family), the
 * paravirtualized score (`templates/libcpu/<arch>/<arch>virt/`) and the arch's own files of the BSP
 * family (`templates/libbsp/<arch>/<arch>virt/`). Their paths under `templates/` are their paths
 * under `c/src/lib/` in the tree.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's templates directory (the same from src/ under vitest and from dist/ when installed). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export interface TemplateFile {
  /** Path under templates/, POSIX separators, e.g. `libcpu/i386/i386virt/score/cpu_asm.S`. */
  rel: string;
  /** Content as latin1 (byte-exact). */
  text: string;
  mode: number;
}

/** Every file under templates/<dir>, sorted, README files excluded. */
export function templateFiles(dir: string): readonly TemplateFile[] {
  // the package's own files do not change while it runs: each directory is read once
  const hit = cache.get(dir);
  if (hit) return hit;
  const root = path.join(TEMPLATES_DIR, dir);
  const out: TemplateFile[] = [];
  const walk = (abs: string, rel: string) => {
    let entries: string[];
    try {
      entries = readdirSync(abs).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const a = path.join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = statSync(a);
      if (st.isDirectory()) walk(a, r);
      else if (!/^README/i.test(name)) out.push({ rel: `${dir}/${r}`, text: readFileSync(a, 'latin1'), mode: st.mode & 0o111 ? 0o755 : 0o644 });
    }
  };
  walk(root, '');
  cache.set(dir, out);
  return out;
}

const cache = new Map<string, readonly TemplateFile[]>();

/** The shared code of every `<arch>virt` model, under templates/ and under c/src/lib/. */
export const SHARED_VIRT_DIR = 'libcpu/shared/virt';
/** The part of it that every `<arch>virt` BSP family compiles (not the libcpu score rel). */
export const SHARED_VIRT_BSP_DIR = `${SHARED_VIRT_DIR}/bsp`;

/** The files of libcpu/shared/virt that go with the paravirtualized score: all but `bsp/`. */
export function sharedVirtScoreTemplates(): TemplateFile[] {
  return templateFiles(SHARED_VIRT_DIR).filter((t) => !t.rel.startsWith(`${SHARED_VIRT_BSP_DIR}/`));
}

export function hasTemplates(dir: string): boolean {
  try {
    return statSync(path.join(TEMPLATES_DIR, dir)).isDirectory() && templateFiles(dir).length > 0;
  } catch {
    return false;
  }
}
