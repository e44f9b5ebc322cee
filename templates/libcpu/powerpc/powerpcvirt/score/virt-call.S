/*
 * @file
 *
 * @brief The PowerPC binding of the hypervisor interface: making a call
 * and the virtual interrupt entry point.
 *
 * long virt_call(uint32_t nr, uint32_t arg0, uint32_t arg1, uint32_t arg2)
 *   The C arguments already sit where the binding wants them (nr in r3,
 *   the arguments in r4, r5, r6), so the call is "sc" and the result
 *   comes back in r3 (see libcpu/shared/virt/hypervisor.h).  The
 *   hypervisor preserves every other register except CR0, which the SysV
 *   calling convention lets a callee change anyway.
 *
 * virt_event_entry
 *   registered with VIRT_CALL_SET_ENTRY by virt_bsp_early_init().  The
 *   hypervisor enters it in problem state with r1 pointing to the
 *   delivery frame (interrupted r1, PC, CR and r3) and virtual interrupts
 *   disabled.  It saves the registers the calling convention lets
 *   virt_event_dispatch() change (r0, r4-r12, LR, CTR, XER; r3 and CR are
 *   in the delivery frame), calls it, and returns with
 *   VIRT_CALL_IRQ_RETURN, which reloads PC, CR, r3 and r1 from the frame
 *   and enables virtual interrupts again.  The volatile floating point
 *   registers are not saved: event handlers do not use floating point.
 *
 * No mfmsr, mtmsr, rfi or supervisor SPR here: the hypervisor owns them.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#define VIRT_CALL_IRQ_RETURN 8   /* hypervisor.h */
#define VIRT_CALL_EXIT       7   /* hypervisor.h */

/* The entry's own frame, below the delivery frame (16-byte multiple). */
#define ENTRY_FRAME_SIZE 64
#define ENTRY_R0         8
#define ENTRY_R4         12      /* r4 .. r12 at 12 .. 44 */
#define ENTRY_LR         48
#define ENTRY_CTR        52
#define ENTRY_XER        56

        .text
        .p2align 4
        .globl virt_call
        .type virt_call, @function
virt_call:
        sc
        blr
        .size virt_call, . - virt_call

        .p2align 4
        .globl virt_event_entry
        .type virt_event_entry, @function
virt_event_entry:
        /* r1 = delivery frame; its word at 4 is free for our LR save */
        stwu    %r1, -ENTRY_FRAME_SIZE(%r1)
        stw     %r0, ENTRY_R0(%r1)
        stw     %r4, ENTRY_R4 + 0(%r1)
        stw     %r5, ENTRY_R4 + 4(%r1)
        stw     %r6, ENTRY_R4 + 8(%r1)
        stw     %r7, ENTRY_R4 + 12(%r1)
        stw     %r8, ENTRY_R4 + 16(%r1)
        stw     %r9, ENTRY_R4 + 20(%r1)
        stw     %r10, ENTRY_R4 + 24(%r1)
        stw     %r11, ENTRY_R4 + 28(%r1)
        stw     %r12, ENTRY_R4 + 32(%r1)
        mflr    %r0
        stw     %r0, ENTRY_LR(%r1)
        mfctr   %r0
        stw     %r0, ENTRY_CTR(%r1)
        mfxer   %r0
        stw     %r0, ENTRY_XER(%r1)

        bl      virt_event_dispatch

        lwz     %r0, ENTRY_LR(%r1)
        mtlr    %r0
        lwz     %r0, ENTRY_CTR(%r1)
        mtctr   %r0
        lwz     %r0, ENTRY_XER(%r1)
        mtxer   %r0
        lwz     %r0, ENTRY_R0(%r1)
        lwz     %r4, ENTRY_R4 + 0(%r1)
        lwz     %r5, ENTRY_R4 + 4(%r1)
        lwz     %r6, ENTRY_R4 + 8(%r1)
        lwz     %r7, ENTRY_R4 + 12(%r1)
        lwz     %r8, ENTRY_R4 + 16(%r1)
        lwz     %r9, ENTRY_R4 + 20(%r1)
        lwz     %r10, ENTRY_R4 + 24(%r1)
        lwz     %r11, ENTRY_R4 + 28(%r1)
        lwz     %r12, ENTRY_R4 + 32(%r1)
        addi    %r1, %r1, ENTRY_FRAME_SIZE      /* back at the delivery frame */
        li      %r3, VIRT_CALL_IRQ_RETURN
        sc                                      /* reloads PC, CR, r3, r1 */

        /* Only reached if the hypervisor refused the frame: stop. */
1:      li      %r3, VIRT_CALL_EXIT
        li      %r4, 254
        sc
        b       1b
        .size virt_event_entry, . - virt_event_entry

        .section .note.GNU-stack, "", @progbits
