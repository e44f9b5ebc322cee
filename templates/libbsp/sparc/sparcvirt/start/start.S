/*
 * @file
 *
 * @brief sparcvirt entry point.
 *
 * The hypervisor enters here in user state with %o0 = VIRT_START_MAGIC,
 * %o1 = the virt_start_info and the current window the only valid one.
 * Set %g6 to the per-CPU control (the 4.11 score reads it from %g6, see
 * _CPU_Get_current_per_CPU_control()), set up the stack from the linker
 * script, clear .bss, connect to the hypervisor (virt_bsp_early_init,
 * shared by every <arch>virt BSP) and call boot_card() with the command
 * line.  No privileged instruction here: the trap table, %tbr, %wim and
 * the PSR belong to the hypervisor.  Nothing is stored on the stack
 * before .bss (where the stack lives) is cleared.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

/* From libcpu/shared/virt/hypervisor.h. */
#define VIRT_START_MAGIC     0x56495254
#define VIRT_CALL_EXIT       7
#define VIRT_SPARC_FRAME     96

        .section ".text.start", "ax"
        .align  4
        .global start
        .type   start, #function
start:
        set     VIRT_START_MAGIC, %g1
        cmp     %o0, %g1
        bne     .Lno_hypervisor
         mov    %o1, %l0                /* keep the start information */

        sethi   %hi(_Per_CPU_Information), %g6
        or      %g6, %lo(_Per_CPU_Information), %g6

        set     _stack_top, %g1
        andn    %g1, 7, %g1             /* 8-byte aligned */
        mov     %g1, %fp
        sub     %g1, VIRT_SPARC_FRAME, %sp

        set     __bss_start, %g2        /* clear .bss word by word (no call, no stack) */
        set     _end, %g3
        ba      2f
         nop
1:      st      %g0, [%g2]
        add     %g2, 4, %g2
2:      cmp     %g2, %g3
        blu     1b
         nop

        call    virt_bsp_early_init     /* returns the command line */
         mov    %l0, %o0
        call    boot_card
         nop                            /* %o0 = the command line */
        call    virt_bsp_exit
         mov    0, %o0

.Lno_hypervisor:
        /* Not started by a hypervisor of this interface: nothing to talk to. */
        mov     VIRT_CALL_EXIT, %o0
        call    virt_call
         mov    2, %o1
        ba      .Lno_hypervisor
         nop
        .size   start, . - start

        .section .note.GNU-stack, "", @progbits
