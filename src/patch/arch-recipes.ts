/**
 * What `patch` needs to know of an architecture beyond what the tree says: the virt cfg's
 * compiler flags, the word type of interrupt levels, and the paravirtualized meaning of the
 * interrupt macros the split turns into per-model functions. An architecture without a
 * recipe and without templates is refused, never half-patched.
 */
import { hasTemplates } from './templates.js';

export interface MacroSemantics {
  /** C statements of the `<arch>virt` implementation; parameters by their names in the tree's macro. */
  virt?: (params: { inputs: string[]; output: string | null }) => string[];
  /**
   * Which parameters the macro reads and which one it writes, when its text cannot tell
   * (an asm operand tied to an input, `"=r" (x) : "0" (x)`, is both).
   */
  shape?: { inputs: string[]; output: string | null };
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
  /**
   * Paravirtualized bodies of functions and inline functions the split moves (their
   * prototypes are the tree's), by name; parameters by their names in the prototype.
   */
  functions?: Record<string, (sig: { params: string[] }) => string[]>;
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

/**
 * SPARC V8. The 4.11 interrupt disable/enable are already software traps (`ta`), a hypervisor
 * call on a paravirtual SPARC, and stay in cpukit. The PSR and TBR accessors are the
 * functions of the RTEMS_PARAVIRT interface (the conversion keeps them); the sparcvirt score
 * (templates) defines them and the WIM accessors, whose register the hypervisor owns.
 */
const SPARC: ArchRecipe = {
  arch: 'sparc',
  cpuCflags: '-mcpu=v8',
  word: 'uint32_t',
  virtIncludes: ['<stdint.h>', '<libcpu/virt/hypervisor.h>'],
  macros: {
    sparc_get_wim: { shape: { inputs: [], output: '_wim' } },
    sparc_set_wim: { shape: { inputs: ['_wim'], output: null } },
  },
};

/** PowerPC: the interrupt level is MSR[EE] (0x8000); the virtual MSR carries only that bit. */
const PPC_EE = '0x8000u';
const POWERPC: ArchRecipe = {
  arch: 'powerpc',
  cpuCflags: '-mcpu=603e -msoft-float',
  word: 'uint32_t',
  virtIncludes: ['<stdint.h>', '<libcpu/virt/hypervisor.h>'],
  macros: {
    _CPU_MSR_GET: { shape: { inputs: [], output: '_msr_value' }, virt: ({ output }) => [`${output} = virt_irq_level() ? 0u : ${PPC_EE};`] },
    _CPU_MSR_SET: { shape: { inputs: ['_msr_value'], output: null }, virt: ({ inputs }) => [`virt_irq_restore( ( ${inputs[0]} & ${PPC_EE} ) != 0 ? 0u : 1u );`] },
  },
  functions: {
    ppc_interrupt_disable: () => [`return virt_irq_disable() ? 0u : ${PPC_EE};`],
    ppc_interrupt_enable: ({ params }) => [`virt_irq_restore( ( ${params[0]} & ${PPC_EE} ) != 0 ? 0u : 1u );`],
    ppc_interrupt_flash: ({ params }) => [`virt_irq_flash( ( ${params[0]} & ${PPC_EE} ) != 0 ? 0u : 1u );`],
    _CPU_SMP_Get_current_processor: () => ['return 0; /* one virtual CPU */'],
  },
};

/**
 * ARM (ARMv7-A, ARM_MULTILIB_ARCH_V4): the interrupt level is CPSR.I (0x80). The exception
 * vector code moves whole to the native score; armvirt takes events through the hypervisor's
 * entry point instead, so those routines have stubs there.
 */
const ARM_I = '0x80u';
const ARM: ArchRecipe = {
  arch: 'arm',
  cpuCflags: '-mcpu=cortex-a9 -mtp=soft',
  word: 'uint32_t',
  virtIncludes: ['<stdint.h>', '<libcpu/virt/hypervisor.h>'],
  macros: {},
  functions: {
    arm_interrupt_disable: () => [`return virt_irq_disable() ? ${ARM_I} : 0u;`],
    arm_interrupt_enable: ({ params }) => [`virt_irq_restore( ( ${params[0]} & ${ARM_I} ) != 0 ? 1u : 0u );`],
    arm_interrupt_flash: ({ params }) => [`virt_irq_flash( ( ${params[0]} & ${ARM_I} ) != 0 ? 1u : 0u );`],
    _ARMV4_Status_irq_enable: () => [`uint32_t psr = virt_irq_level() ? ${ARM_I} : 0u;`, '', 'virt_irq_enable();', 'return psr;'],
    _ARMV4_Status_restore: ({ params }) => [`virt_irq_restore( ( ${params[0]} & ${ARM_I} ) != 0 ? 1u : 0u );`],
    _CPU_ISR_Set_level: ({ params }) => [`if ( ${params[0]} != 0 )`, '  (void) virt_irq_disable();', 'else', '  virt_irq_enable();'],
    _CPU_ISR_Get_level: () => ['return virt_irq_level();'],
    _ARM_Wait_for_event: () => ['/* one virtual CPU: no other processor sends an event */', '__asm__ volatile ( "" : : : "memory" );'],
    _CPU_SMP_Get_current_processor: () => ['return 0; /* one virtual CPU */'],
  },
};

const RECIPES: Record<string, ArchRecipe> = { i386: I386, sparc: SPARC, powerpc: POWERPC, arm: ARM };

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

/** The arches `patch` supports (a recipe and templates). */
export function supportedArches(): string[] {
  return Object.keys(RECIPES)
    .filter((a) => !('missing' in archRecipe(a)))
    .sort();
}
