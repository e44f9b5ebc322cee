/*
 * @file
 *
 * @brief armvirt entry point.
 *
 * The hypervisor enters here in User mode, ARM state, with r0 =
 * VIRT_START_MAGIC, r1 = the virt_start_info and sp = the end of guest
 * RAM (8-byte aligned).  Check the magic, move to the stack of the linker
 * script (_stack_top, in .bss), clear .bss, connect to the hypervisor
 * (virt_bsp_early_init, shared by every <arch>virt BSP) and call
 * boot_card() with the command line, then virt_bsp_exit(0).  No
 * privileged instruction here: the CPSR mode and masks, the exception
 * vectors, p15 (MMU, caches) and VFP enabling belong to the hypervisor.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#define VIRT_START_MAGIC 0x56495254     /* hypervisor.h, "VIRT" */
#define VIRT_CALL_EXIT   7              /* hypervisor.h */

        .syntax unified
        .arm
        .section .text.start, "ax", %progbits
        .p2align 2
        .globl _start
        .type _start, %function
_start:
        ldr     r2, =VIRT_START_MAGIC
        cmp     r0, r2
        bne     .Lno_hypervisor
        mov     r4, r1                  /* keep the start information */

        /* the stack of the linker script, 8-byte aligned (AAPCS) */
        ldr     r2, =_stack_top
        bic     r2, r2, #7
        mov     sp, r2

        /* clear __bss_start .. _end (the stack is in there too; no call, no push yet) */
        ldr     r0, =__bss_start
        ldr     r1, =_end
        mov     r2, #0
1:      cmp     r0, r1
        strblo  r2, [r0], #1
        blo     1b

        mov     r0, r4
        bl      virt_bsp_early_init     /* returns the command line */
        bl      boot_card
        mov     r0, #0
        bl      virt_bsp_exit           /* does not return */

.Lno_hypervisor:
        /* Not started by a hypervisor of this interface: nothing to talk to. */
        mov     r0, #VIRT_CALL_EXIT
        mov     r1, #2
        svc     #0x56                   /* VIRT_ARM_SVC_IMM */
        b       .Lno_hypervisor
        .size _start, . - _start

        .ltorg

        .section .note.GNU-stack, "", %progbits
