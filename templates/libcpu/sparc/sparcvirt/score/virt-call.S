/*
 * @file
 *
 * @brief The SPARC binding of the hypervisor interface: making a call and
 * the virtual interrupt entry point.
 *
 * long virt_call(uint32_t nr, uint32_t arg0, uint32_t arg1, uint32_t arg2)
 *   "ta 0x70" with nr in %o0 and the arguments in %o1, %o2, %o3, which
 *   is where the SPARC ABI puts the first four arguments; the result
 *   comes back in %o0 (see libcpu/shared/virt/hypervisor.h).  A leaf
 *   routine: no window, no stack, no global register touched, so the
 *   context switch may keep a return address in %g1 across it.
 *
 * virt_event_entry
 *   registered with VIRT_CALL_SET_ENTRY by virt_bsp_early_init().  The
 *   hypervisor enters it in a new window, as a trap would: %l0 = the
 *   interrupted PSR (condition codes), %l1 = PC, %l2 = nPC, %i0-%i7 = the
 *   interrupted %o0-%o7, virtual interrupts disabled.  It makes a frame
 *   below the interrupted stack, keeps %g1-%g4 and %y in its locals (a
 *   window is preserved across calls), calls virt_event_dispatch() (the
 *   shared BSP code, libcpu/shared/virt/bsp) and returns with
 *   VIRT_CALL_IRQ_RETURN from the same window: the hypervisor restores
 *   the condition codes, the window, PC and nPC and enables virtual
 *   interrupts again.
 *
 * No rd/wr of %psr, %wim or %tbr, no rett, no alternate-space access.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

/* From libcpu/shared/virt/hypervisor.h (the SPARC binding). */
#define VIRT_SPARC_CALL_TRAP  0x70
#define VIRT_SPARC_FRAME      96
#define VIRT_CALL_IRQ_RETURN  8

        .section ".text"
        .align  4
        .global virt_call
        .type   virt_call, #function
virt_call:
        ta      VIRT_SPARC_CALL_TRAP    /* %o0 = nr, %o1-%o3 = args; %o0 = result */
        retl
         nop
        .size   virt_call, . - virt_call

        .align  4
        .global virt_event_entry
        .type   virt_event_entry, #function
virt_event_entry:
        /* First: a frame below the interrupted %sp (now %fp), 8-byte aligned. */
        sub     %fp, VIRT_SPARC_FRAME, %sp
        mov     %g1, %l3                /* the globals a C callee may change */
        mov     %g2, %l4
        mov     %g3, %l5
        mov     %g4, %l6
        call    virt_event_dispatch
         rd     %y, %l7
        wr      %l7, %g0, %y
        mov     %l6, %g4                /* also the three instructions after wr %y */
        mov     %l5, %g3
        mov     %l4, %g2
        mov     %l3, %g1
        /* %l0-%l2 hold the frame the hypervisor returns through. */
        mov     VIRT_CALL_IRQ_RETURN, %o0
        ta      VIRT_SPARC_CALL_TRAP
        /* Not reached: IRQ_RETURN continues at the interrupted PC. */
        .size   virt_event_entry, . - virt_event_entry

        .section .note.GNU-stack, "", @progbits
