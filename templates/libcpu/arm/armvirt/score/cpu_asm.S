/*
 * @file
 *
 * @brief armvirt context switch and restore.
 *
 *   void _CPU_Context_switch(Context_Control *run, Context_Control *heir)
 *   void _CPU_Context_restore(Context_Control *heir)
 *
 * Same Context_Control layout as the native 4.11 ARM score for
 * ARM_MULTILIB_ARCH_V4 (the A and R profiles; offsets below), with two
 * differences, because the guest runs in User mode:
 *
 * - The register_cpsr slot holds the *virtual* interrupt state in CPSR
 *   form: ARM_PSR_I (0x80) set when virtual interrupts are disabled
 *   (irq_mask of the shared virt_vcpu_state set), nothing else.  No
 *   mrs/msr of the CPSR: in User mode a write to its I bit is silently
 *   ignored.  Restoring an enabled state clears the mask byte and, if an
 *   event is pending, asks the hypervisor to deliver it
 *   (VIRT_CALL_IRQ_DELIVER) on the heir's stack before returning into
 *   the heir.  The unchanged _CPU_Context_Initialize() of the score
 *   stores ARM_PSR_I or 0 (plus mode bits, which are ignored here) in
 *   the same slot, so new threads start at the level it asked for.
 *
 * - The thread_id slot (ARM_MULTILIB_HAS_THREAD_ID_REGISTER: ARMv7-A/R)
 *   is saved from and restored to the variable virt_arm_thread_id instead
 *   of TPIDRURO, which a User mode guest cannot write (and every mcr/mrc
 *   p15 is reported by rules/arch/arm.json).  The armvirt BSPs are built
 *   with -mtp=soft: thread-local accesses call the score's
 *   __aeabi_read_tp(), which reads the executing thread's TLS area.
 *
 * VFP: the armvirt BSPs are soft-float (-mfloat-abi=soft), so
 * ARM_MULTILIB_VFP is not defined and there is no d8-d15 part.  For a
 * hard-float build the callee-saved d8-d15 are kept at the native offset
 * all the same (vstm/vldm need no privilege once the hypervisor has
 * enabled the FPU, see the ARM binding in hypervisor.h).
 *
 * Uniprocessor only (no RTEMS_SMP is_executing handshake).
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * Context_Control offsets, from the ARM_MULTILIB_ARCH_V4 branch of the
 * struct in cpukit/score/cpu/arm/rtems/score/cpu.h (RTEMS 4.11):
 * register_cpsr, register_r4 .. register_r10, register_fp (r11),
 * register_sp, register_lr, then thread_id
 * (ARM_CONTEXT_CONTROL_THREAD_ID_OFFSET 44) and register_d8 .. d15
 * (ARM_CONTEXT_CONTROL_D8_OFFSET 48).
 */
#define CTX_CPSR       0
#define CTX_R4         4        /* r4 .. r10 at 4 .. 28, fp (r11) at 32 */
#define CTX_SP         36
#define CTX_LR         40
#define CTX_THREAD_ID  44
#define CTX_D8         48

/* The same conditions as ARM_MULTILIB_HAS_THREAD_ID_REGISTER and ARM_MULTILIB_VFP (score/arm.h). */
#if defined(__ARM_ARCH_7A__) || defined(__ARM_ARCH_7R__)
  #define ARMVIRT_THREAD_ID
#endif
#if !defined(__SOFTFP__)
  #define ARMVIRT_VFP
#endif

#define VCPU_IRQ_MASK    0      /* offsetof(virt_vcpu_state, irq_mask) */
#define VCPU_IRQ_PENDING 1      /* offsetof(virt_vcpu_state, irq_pending) */
#define ARM_PSR_I        0x80
#define VIRT_CALL_IRQ_DELIVER 3 /* hypervisor.h */

        .syntax unified
        .arm
        .text

        .p2align 2
        .globl _CPU_Context_switch
        .type _CPU_Context_switch, %function
_CPU_Context_switch:
        /* r0 = run, r1 = heir */
        ldr     r2, =virt_vcpu
        ldr     r2, [r2]
        ldrb    r3, [r2, #VCPU_IRQ_MASK]
        cmp     r3, #0
        movne   r3, #ARM_PSR_I
        str     r3, [r0, #CTX_CPSR]
        add     r3, r0, #CTX_R4
        stmia   r3, {r4, r5, r6, r7, r8, r9, r10, r11}
        str     sp, [r0, #CTX_SP]
        str     lr, [r0, #CTX_LR]
#ifdef ARMVIRT_THREAD_ID
        ldr     r2, =virt_arm_thread_id
        ldr     r3, [r2]
        str     r3, [r0, #CTX_THREAD_ID]
#endif
#ifdef ARMVIRT_VFP
        add     r3, r0, #CTX_D8
        vstmia  r3, {d8-d15}
#endif
        /* fall through with r1 = heir */

.Lrestore:
#ifdef ARMVIRT_VFP
        add     r3, r1, #CTX_D8
        vldmia  r3, {d8-d15}
#endif
#ifdef ARMVIRT_THREAD_ID
        ldr     r3, [r1, #CTX_THREAD_ID]
        ldr     r2, =virt_arm_thread_id
        str     r3, [r2]
#endif
        add     r3, r1, #CTX_R4
        ldmia   r3, {r4, r5, r6, r7, r8, r9, r10, r11}
        ldr     sp, [r1, #CTX_SP]
        ldr     lr, [r1, #CTX_LR]
#if __ARM_ARCH >= 7 || defined(__ARM_ARCH_6K__) || defined(__ARM_ARCH_6ZK__)
        clrex                           /* no exclusive reservation crosses threads */
#endif
        /* the heir's virtual interrupt level */
        ldr     r2, =virt_vcpu
        ldr     r2, [r2]
        ldr     r3, [r1, #CTX_CPSR]
        tst     r3, #ARM_PSR_I
        movne   r3, #1
        strbne  r3, [r2, #VCPU_IRQ_MASK]
        bxne    lr
        mov     r3, #0
        strb    r3, [r2, #VCPU_IRQ_MASK]
        ldrb    r3, [r2, #VCPU_IRQ_PENDING]
        cmp     r3, #0
        bxeq    lr
        /* an event came in while masked: virt_call(VIRT_CALL_IRQ_DELIVER, 0, 0, 0) returns into the heir */
        mov     r0, #VIRT_CALL_IRQ_DELIVER
        mov     r1, #0
        mov     r2, #0
        mov     r3, #0
        b       virt_call
        .size _CPU_Context_switch, . - _CPU_Context_switch

        .p2align 2
        .globl _CPU_Context_restore
        .type _CPU_Context_restore, %function
_CPU_Context_restore:
        /* r0 = heir */
        mov     r1, r0
        b       .Lrestore
        .size _CPU_Context_restore, . - _CPU_Context_restore

        .ltorg

#ifdef ARMVIRT_THREAD_ID
        /*
         * The thread ID register of the virtual CPU (what TPIDRURO holds
         * natively): the executing thread's TLS area.
         */
        .bss
        .p2align 2
        .globl virt_arm_thread_id
        .type virt_arm_thread_id, %object
virt_arm_thread_id:
        .space  4
        .size virt_arm_thread_id, 4
#endif

        .section .note.GNU-stack, "", %progbits
