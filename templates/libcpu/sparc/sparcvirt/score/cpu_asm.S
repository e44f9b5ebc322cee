/*
 * @file
 *
 * @brief sparcvirt context switch and restore, in user state.
 *
 *   void _CPU_Context_switch(Context_Control *run, Context_Control *heir)
 *   void _CPU_Context_restore(Context_Control *heir)
 *
 * The register windows belong to the hypervisor: "ta 3" (flush windows)
 * writes every window but the current one to its stack, so that after it
 * the current window's locals and ins, %sp and %o7 are all of a thread
 * that is not in memory.  Those, %g5 and %g7 go to the native
 * Context_Control at the native offsets (below).  The psr word holds the
 * *virtual* interrupt level in PSR form instead of the real PSR (which a
 * user-state guest cannot read): PIL 15 when the mask byte of the shared
 * virt_vcpu_state is set, 0 when clear, with S, ET and the LEON3
 * implementation/version fields, the value _SPARC_Get_PSR() returns.  So
 * the unchanged _CPU_Context_Initialize() of the score (which builds the
 * word from _SPARC_Get_PSR() and the thread's level) still works.
 * Restoring a level with PIL 0 clears the mask and, with an event
 * pending, makes the VIRT_CALL_IRQ_DELIVER call; any other PIL sets the
 * mask.  The ISR dispatch nesting flag is swapped with the per-CPU
 * control (%g6) as the native switch does.
 *
 * Both are leaf routines (no save): the window is the caller's, and they
 * return through the heir's %o7 (_CPU_Context_Initialize() stores the
 * entry point - 8 there).  No rd/wr of %psr, %wim or %tbr, no rett, no
 * alternate-space access.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * Context_Control offsets of the native SPARC score: G5_OFFSET ... PSR_OFFSET
 * and ISR_DISPATCH_DISABLE_STACK_OFFSET of
 * cpukit/score/cpu/sparc/rtems/score/cpu.h (RTEMS 4.11).  The double word
 * pairs (l0/l1 ... o6/o7) are 8-byte aligned there, so ldd/std work.
 */
#define G5_OFFSET    0x00
#define G7_OFFSET    0x04
#define L0_OFFSET    0x08
#define L2_OFFSET    0x10
#define L4_OFFSET    0x18
#define L6_OFFSET    0x20
#define I0_OFFSET    0x28
#define I2_OFFSET    0x30
#define I4_OFFSET    0x38
#define I6_FP_OFFSET 0x40
#define O6_SP_OFFSET 0x48
#define PSR_OFFSET   0x50
#define ISR_DISPATCH_DISABLE_STACK_OFFSET 0x54

/* SPARC_PER_CPU_ISR_DISPATCH_DISABLE of the same cpu.h: offset in the per-CPU control (%g6). */
#define PER_CPU_ISR_DISPATCH_DISABLE 0

/* offsetof(virt_vcpu_state, irq_mask / irq_pending), libcpu/shared/virt/hypervisor.h */
#define VCPU_IRQ_MASK    0
#define VCPU_IRQ_PENDING 1
#define VIRT_CALL_IRQ_DELIVER 3
#define VIRT_SPARC_FLUSH_TRAP 3

/* The virtual PSR: LEON3 impl/ver (0xf3000000), S (0x80), ET (0x20); PIL is 0xf00. */
#define VIRT_PSR_BASE 0xf30000a0
#define PSR_PIL_MASK  0x00000f00

        .section ".text"
        .align  4
        .global _CPU_Context_switch
        .type   _CPU_Context_switch, #function
_CPU_Context_switch:
        /* %o0 = run, %o1 = heir */
        ta      VIRT_SPARC_FLUSH_TRAP   /* the older windows go to their stacks */
        st      %g5, [%o0 + G5_OFFSET]
        st      %g7, [%o0 + G7_OFFSET]
        std     %l0, [%o0 + L0_OFFSET]
        std     %l2, [%o0 + L2_OFFSET]
        std     %l4, [%o0 + L4_OFFSET]
        std     %l6, [%o0 + L6_OFFSET]
        std     %i0, [%o0 + I0_OFFSET]
        std     %i2, [%o0 + I2_OFFSET]
        std     %i4, [%o0 + I4_OFFSET]
        std     %i6, [%o0 + I6_FP_OFFSET]
        std     %o6, [%o0 + O6_SP_OFFSET]
        ld      [%g6 + PER_CPU_ISR_DISPATCH_DISABLE], %o4
        st      %o4, [%o0 + ISR_DISPATCH_DISABLE_STACK_OFFSET]

        /* The virtual level in PSR form. */
        sethi   %hi(virt_vcpu), %o2
        ld      [%o2 + %lo(virt_vcpu)], %o2
        ldub    [%o2 + VCPU_IRQ_MASK], %o3
        sethi   %hi(VIRT_PSR_BASE), %o4
        or      %o4, %lo(VIRT_PSR_BASE), %o4
        cmp     %o3, 0
        bne,a   1f
         or     %o4, PSR_PIL_MASK, %o4  /* annulled when the mask is clear */
1:      st      %o4, [%o0 + PSR_OFFSET]

        /* %o1 = the context to restore; the windows are flushed. */
.Lrestore_heir:
        ld      [%o1 + G5_OFFSET], %g5
        ld      [%o1 + G7_OFFSET], %g7
        ld      [%o1 + ISR_DISPATCH_DISABLE_STACK_OFFSET], %o4
        st      %o4, [%g6 + PER_CPU_ISR_DISPATCH_DISABLE]
        ldd     [%o1 + L0_OFFSET], %l0
        ldd     [%o1 + L2_OFFSET], %l2
        ldd     [%o1 + L4_OFFSET], %l4
        ldd     [%o1 + L6_OFFSET], %l6
        ldd     [%o1 + I0_OFFSET], %i0
        ldd     [%o1 + I2_OFFSET], %i2
        ldd     [%o1 + I4_OFFSET], %i4
        ldd     [%o1 + I6_FP_OFFSET], %i6
        ldd     [%o1 + O6_SP_OFFSET], %o6   /* %sp and %o7 in one load */

        /* The heir's virtual level. */
        ld      [%o1 + PSR_OFFSET], %o4
        sethi   %hi(virt_vcpu), %o2
        ld      [%o2 + %lo(virt_vcpu)], %o2
        andcc   %o4, PSR_PIL_MASK, %g0
        bne     .Lmasked
         nop
        stb     %g0, [%o2 + VCPU_IRQ_MASK]
        ldub    [%o2 + VCPU_IRQ_PENDING], %o3
        cmp     %o3, 0
        be      .Ldone
         nop
        /*
         * An event is pending: have it delivered.  virt_call is a leaf that
         * leaves %g1 alone, and the event entry saves %g1, so the return
         * address of the heir survives in %g1 (volatile at this call).
         */
        mov     %o7, %g1
        mov     VIRT_CALL_IRQ_DELIVER, %o0
        clr     %o1
        clr     %o2
        call    virt_call
         clr    %o3
        mov     %g1, %o7
.Ldone:
        retl
         nop
.Lmasked:
        mov     1, %o3
        retl
         stb    %o3, [%o2 + VCPU_IRQ_MASK]
        .size   _CPU_Context_switch, . - _CPU_Context_switch

        .align  4
        .global _CPU_Context_restore
        .type   _CPU_Context_restore, #function
_CPU_Context_restore:
        /*
         * The windows of the abandoned context must not be returned into
         * by the heir: flush them to their stack first.
         */
        ta      VIRT_SPARC_FLUSH_TRAP
        ba      .Lrestore_heir
         mov    %o0, %o1
        .size   _CPU_Context_restore, . - _CPU_Context_restore

        .section .note.GNU-stack, "", @progbits
