/*
 * @file
 *
 * @brief The ARM binding of the hypervisor interface: making a call and
 * the virtual interrupt entry point.
 *
 * long virt_call(uint32_t nr, uint32_t arg0, uint32_t arg1, uint32_t arg2)
 *   The AAPCS arguments already sit where the binding wants them (nr in
 *   r0, the arguments in r1, r2, r3), so the call is "svc #0x56" and the
 *   result comes back in r0 (see libcpu/shared/virt/hypervisor.h).  The
 *   hypervisor preserves every other register.
 *
 * virt_event_entry
 *   registered with VIRT_CALL_SET_ENTRY by virt_bsp_early_init().  The
 *   hypervisor enters it in User mode, ARM state, with sp pointing to the
 *   delivery frame (interrupted r0, sp, pc, CPSR; 8-byte aligned) and
 *   virtual interrupts disabled.  It saves the registers the AAPCS lets
 *   virt_event_dispatch() change (r0-r3, r12, lr; the flags are in the
 *   frame), calls it, and returns with VIRT_CALL_IRQ_RETURN,
 *   which reloads r0, sp, pc and the CPSR flags from the frame and
 *   enables virtual interrupts again.  The VFP registers are not saved:
 *   event handlers do not use floating point.
 *
 * No mrs/msr of the CPSR, no cps, no p15 access, no exception return
 * here: the hypervisor owns them.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#define VIRT_ARM_SVC_IMM     0x56       /* hypervisor.h */
#define VIRT_CALL_IRQ_RETURN 8          /* hypervisor.h */
#define VIRT_CALL_EXIT       7          /* hypervisor.h */

        .syntax unified
        .arm
        .text

        .p2align 2
        .globl virt_call
        .type virt_call, %function
virt_call:
        svc     #VIRT_ARM_SVC_IMM
        bx      lr
        .size virt_call, . - virt_call

        .p2align 2
        .globl virt_event_entry
        .type virt_event_entry, %function
virt_event_entry:
        /*
         * sp = the delivery frame (8-byte aligned).  Six words keep the
         * AAPCS 8-byte stack alignment for the call; r0 is among them only
         * as the sixth word (IRQ_RETURN reloads it from the frame).  The
         * condition flags need no saving: the hypervisor reloads them from
         * the frame.
         */
        push    {r0, r1, r2, r3, r12, lr}

        bl      virt_event_dispatch

        pop     {r0, r1, r2, r3, r12, lr}       /* sp back at the delivery frame */
        mov     r0, #VIRT_CALL_IRQ_RETURN
        svc     #VIRT_ARM_SVC_IMM       /* reloads r0, sp, pc, CPSR flags */

        /* Only reached if the hypervisor refused the frame: stop. */
1:      mov     r0, #VIRT_CALL_EXIT
        mov     r1, #254
        svc     #VIRT_ARM_SVC_IMM
        b       1b
        .size virt_event_entry, . - virt_event_entry

        .section .note.GNU-stack, "", %progbits
