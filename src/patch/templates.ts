/**
 * The files under `templates/` that `patch` writes into a tree: the hypervisor interface
 * (`templates/libcpu/shared/virt/`), the paravirtualized score (`templates/libcpu/<arch>/<arch>virt/`)
 * and the drivers of the BSP family (`templates/libbsp/<arch>/<arch>virt/`). Their paths under
 * `templates/` are their paths under `c/src/lib/` in the tree.
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
export function templateFiles(dir: string): TemplateFile[] {
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
  return out;
}

export function hasTemplates(dir: string): boolean {
  try {
    return statSync(path.join(TEMPLATES_DIR, dir)).isDirectory() && templateFiles(dir).length > 0;
  } catch {
    return false;
  }
}
