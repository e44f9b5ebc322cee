/**
 * What `patch` needs to know of an architecture beyond what the tree says: the virt cfg's
 * compiler flags, the word type of interrupt levels, and the paravirtualized meaning of the
 * interrupt macros the split turns into per-model functions. An architecture without a
 * recipe and without templates is refused, never half-patched.
 */
import { hasTemplates } from './templates.js';

export interface MacroSemantics {
  /** C statements of the `<arch>virt` implementation; parameters by their names in the tree's macro. */
  virt: (params: { inputs: string[]; output: string | null }) => string[];
}

export interface ArchRecipe {
  arch: string;
  /** CPU_CFLAGS of `<arch>virt.cfg`. */
  cpuCflags: string;
  /** The C type of a machine word (interrupt levels, error codes) for the generated functions. */
  word: string;
  /** Headers the generated virt code includes. */
  virtIncludes: string[];
  /** Paravirtualized implementations of the interrupt macros, by macro name. */
  macros: Record<string, MacroSemantics>;
}

const I386: ArchRecipe = {
  arch: 'i386',
  cpuCflags: '-march=i586 -mtune=i386',
  word: 'unsigned int',
  virtIncludes: ['<stdint.h>', '<libcpu/virt/hypervisor.h>'],
  macros: {
    i386_disable_interrupts: { virt: ({ output }) => [`${output ?? 'level'} = virt_irq_disable();`] },
    i386_enable_interrupts: { virt: ({ inputs }) => [`virt_irq_restore( ${inputs[0] ?? 'level'} );`] },
    i386_flash_interrupts: { virt: ({ inputs }) => [`virt_irq_flash( ${inputs[0] ?? 'level'} );`] },
    i386_get_interrupt_level: { virt: ({ output }) => [`${output ?? 'level'} = virt_irq_level();`] },
    _CPU_ISR_Set_level: {
      virt: ({ inputs }) => [`if ( ${inputs[0] ?? 'level'} )`, '  (void) virt_irq_disable();', 'else', '  virt_irq_enable();'],
    },
    _CPU_Fatal_halt: { virt: ({ inputs }) => [`virt_exit( (uint32_t) ( ${inputs[inputs.length - 1] ?? '0'} ) );`] },
  },
};

const RECIPES: Record<string, ArchRecipe> = { i386: I386 };

/** The recipe of an arch, or the list of what is missing for it. */
export function archRecipe(arch: string): { recipe: ArchRecipe } | { missing: string[] } {
  const recipe = RECIPES[arch];
  const missing: string[] = [];
  if (!recipe) missing.push(`a split recipe for ${arch} (src/patch/arch-recipes.ts: virt cfg flags, interrupt macro semantics)`);
  if (!hasTemplates(`libcpu/${arch}/${arch}virt`)) missing.push(`the paravirtualized ${arch} score (templates/libcpu/${arch}/${arch}virt/)`);
  if (!hasTemplates(`libbsp/${arch}/${arch}virt`)) missing.push(`the ${arch}virt BSP drivers (templates/libbsp/${arch}/${arch}virt/)`);
  if (!hasTemplates('libcpu/shared/virt')) missing.push('the hypervisor interface (templates/libcpu/shared/virt/)');
  return recipe && missing.length === 0 ? { recipe } : { missing };
}
