/*
 * @file
 *
 * @brief powerpcvirt context switch and restore, floating point context.
 *
 * The paravirtualized counterparts of the native model's
 * libcpu/powerpc/new-exceptions/cpu_asm.S, which the powerpcvirt model
 * does not build:
 *
 *   void _CPU_Context_switch(Context_Control *run, Context_Control *heir)
 *   void _CPU_Context_restore(Context_Control *heir)
 *   void _CPU_Context_save_fp(Context_Control_fp **fp_context_ptr)
 *   void _CPU_Context_restore_fp(Context_Control_fp **fp_context_ptr)
 *   (the last two only with a hardware FPU, like CPU_HARDWARE_FP)
 *
 * Same Context_Control layout as the native score (offsets below), but
 * the MSR slot holds the *virtual* interrupt state in MSR form (MSR[EE]
 * set: enabled) instead of the real MSR: no mfmsr, no mtmsr.  The virtual
 * level is the mask byte of the shared virt_vcpu_state; restoring an
 * enabled level with an event pending calls the hypervisor to deliver it.
 * The floating point functions need no MSR[FP] juggling: the PowerPC
 * binding keeps MSR[FP] set for the guest.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#if defined(__SPE__) || defined(__ALTIVEC__) || defined(__PPC_CPU_E6500__) \
  || defined(__powerpc64__)
#error "powerpcvirt supports the classic 32-bit PowerPC context only (no SPE, AltiVec, e6500)"
#endif

/*
 * Context_Control of RTEMS 4.11 (cpukit/score/cpu/powerpc/rtems/score/cpu.h):
 * a byte array one cache line larger than ppc_context, which starts at the
 * first cache line boundary after the start of the array, i.e. at
 * (address & ~(PPC_DEFAULT_CACHE_LINE_SIZE - 1)) + PPC_DEFAULT_CACHE_LINE_SIZE.
 * The PPC_CONTEXT_OFFSET_* macros there are offsets from the cache line
 * boundary at or below the address; with PPC_DEFAULT_CACHE_LINE_SIZE = 32
 * (every 32-bit core but the e6500) and 4-byte GPRs (no SPE):
 */
#define CACHE_LINE_POWER 5       /* PPC_DEFAULT_CACHE_LINE_POWER */
#define CTX_GPR1   32            /* PPC_CONTEXT_OFFSET_GPR1 */
#define CTX_MSR    36            /* PPC_CONTEXT_OFFSET_MSR: virtual level here */
#define CTX_LR     40            /* PPC_CONTEXT_OFFSET_LR */
#define CTX_CR     44            /* PPC_CONTEXT_OFFSET_CR */
#define CTX_GPR14  48            /* PPC_CONTEXT_OFFSET_GPR14; r15..r31 follow, 4 bytes each */
#define CTX_GPR2   120           /* PPC_CONTEXT_OFFSET_GPR2 (PPC_CONTEXT_GPR_OFFSET( 32 )) */

#define MSR_EE     0x8000        /* external interrupt enable, the virtual level */

#define VCPU_IRQ_MASK    0       /* offsetof(virt_vcpu_state, irq_mask) */
#define VCPU_IRQ_PENDING 1       /* offsetof(virt_vcpu_state, irq_pending) */
#define VIRT_CALL_IRQ_DELIVER 3  /* hypervisor.h */

        .text
        .p2align 5
        .globl _CPU_Context_switch
        .type _CPU_Context_switch, @function
_CPU_Context_switch:
        clrrwi  %r3, %r3, CACHE_LINE_POWER      /* run: cache line base */
        clrrwi  %r4, %r4, CACHE_LINE_POWER      /* heir: cache line base */

        /* The virtual level, in MSR form: EE set when the mask is clear. */
        lis     %r9, virt_vcpu@ha
        lwz     %r9, virt_vcpu@l(%r9)
        lbz     %r10, VCPU_IRQ_MASK(%r9)
        li      %r6, 0
        cmpwi   %r10, 0
        bne     1f
        ori     %r6, %r6, MSR_EE
1:      mflr    %r7
        mfcr    %r8

        /* Drop a reservation the executing thread may hold. */
        li      %r10, CTX_GPR1
        stwcx.  %r1, %r3, %r10

        stw     %r1, CTX_GPR1(%r3)
        stw     %r6, CTX_MSR(%r3)
        stw     %r7, CTX_LR(%r3)
        stw     %r8, CTX_CR(%r3)
        stmw    %r14, CTX_GPR14(%r3)            /* r14 .. r31 */
        stw     %r2, CTX_GPR2(%r3)

        /* fall through */
.Lrestore:
        lwz     %r1, CTX_GPR1(%r4)
        lwz     %r6, CTX_MSR(%r4)
        lwz     %r7, CTX_LR(%r4)
        lwz     %r8, CTX_CR(%r4)
        lmw     %r14, CTX_GPR14(%r4)            /* r14 .. r31 */
        lwz     %r2, CTX_GPR2(%r4)
        mtcr    %r8
        mtlr    %r7

        lis     %r9, virt_vcpu@ha
        lwz     %r9, virt_vcpu@l(%r9)
        andi.   %r6, %r6, MSR_EE
        beq     2f
        /* enabled: clear the mask, then let a pending event in */
        li      %r10, 0
        stb     %r10, VCPU_IRQ_MASK(%r9)
        lbz     %r10, VCPU_IRQ_PENDING(%r9)
        cmpwi   %r10, 0
        beqlr
        li      %r3, VIRT_CALL_IRQ_DELIVER
        li      %r4, 0
        li      %r5, 0
        li      %r6, 0
        b       virt_call                       /* returns to the heir's LR */
2:      li      %r10, 1                         /* disabled: set the mask */
        stb     %r10, VCPU_IRQ_MASK(%r9)
        blr
        .size _CPU_Context_switch, . - _CPU_Context_switch

        .p2align 5
        .globl _CPU_Context_restore
        .type _CPU_Context_restore, @function
_CPU_Context_restore:
        clrrwi  %r4, %r3, CACHE_LINE_POWER
        b       .Lrestore
        .size _CPU_Context_restore, . - _CPU_Context_restore

#if !defined(_SOFT_FLOAT) && !defined(__NO_FPRS__)

/*
 * Context_Control_fp with a hardware FPU (PPC_HAS_FPU == 1, PPC_HAS_DOUBLE
 * == 1): double f[32] at 0, the FPSCR image (uint64_t) at 256.
 */
#define FP_FPSCR 256

        .p2align 5
        .globl _CPU_Context_save_fp
        .type _CPU_Context_save_fp, @function
_CPU_Context_save_fp:
        lwz     %r3, 0(%r3)
        .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        stfd    %f\n, (\n * 8)(%r3)
        .endr
        mffs    %f0
        stfd    %f0, FP_FPSCR(%r3)
        lfd     %f0, 0(%r3)
        blr
        .size _CPU_Context_save_fp, . - _CPU_Context_save_fp

        .p2align 5
        .globl _CPU_Context_restore_fp
        .type _CPU_Context_restore_fp, @function
_CPU_Context_restore_fp:
        lwz     %r3, 0(%r3)
        lfd     %f0, FP_FPSCR(%r3)
        mtfsf   0xff, %f0
        .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        lfd     %f\n, (\n * 8)(%r3)
        .endr
        blr
        .size _CPU_Context_restore_fp, . - _CPU_Context_restore_fp

#endif /* hardware FPU */

        .section .note.GNU-stack, "", @progbits
