/*
 * @file
 *
 * @brief powerpcvirt entry point.
 *
 * The hypervisor enters here in problem state (MSR[PR] = 1) with r3 =
 * VIRT_START_MAGIC, r4 = the virt_start_info and r1 = the end of guest
 * RAM minus 16.  Clear .bss (and .sbss), set the stack from the linker
 * script with a zero back chain, load the small data bases (r13 for
 * .sdata/.sbss, r2 for .sdata2 until a thread with TLS sets its own r2),
 * connect to the hypervisor (virt_bsp_early_init, shared by every
 * <arch>virt BSP) and call boot_card() with the command line, then
 * virt_bsp_exit(0).  No privileged instruction here: the exception
 * vectors, the MSR and the MMU belong to the hypervisor.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#define VIRT_START_MAGIC 0x56495254     /* hypervisor.h, "VIRT" */
#define VIRT_CALL_EXIT   7              /* hypervisor.h */

        .section .text.start, "ax"
        .p2align 2
        .globl _start
        .globl start
        .type _start, @function
_start:
start:
        lis     %r0, VIRT_START_MAGIC@h
        ori     %r0, %r0, VIRT_START_MAGIC@l
        cmpw    %r3, %r0
        bne     .Lno_hypervisor
        mr      %r31, %r4                       /* keep the start information */

        /* clear __bss_start .. _end (the stack is in there too) */
        lis     %r3, __bss_start@ha
        addi    %r3, %r3, __bss_start@l
        lis     %r4, _end@ha
        addi    %r4, %r4, _end@l
        subf.   %r5, %r3, %r4
        beq     2f
        mtctr   %r5
        addi    %r3, %r3, -1
        li      %r0, 0
1:      stbu    %r0, 1(%r3)
        bdnz    1b
2:
        /* the stack: 16-byte aligned, a first frame with back chain 0 */
        lis     %r1, _stack_top@ha
        addi    %r1, %r1, _stack_top@l
        clrrwi  %r1, %r1, 4
        li      %r0, 0
        stwu    %r0, -16(%r1)

        /* small data bases (EABI; harmless where the code does not use them) */
        lis     %r13, _SDA_BASE_@ha
        addi    %r13, %r13, _SDA_BASE_@l
        lis     %r2, _SDA2_BASE_@ha
        addi    %r2, %r2, _SDA2_BASE_@l

        mr      %r3, %r31
        bl      virt_bsp_early_init             /* returns the command line */
        bl      boot_card
        li      %r3, 0
        bl      virt_bsp_exit                   /* does not return */

.Lno_hypervisor:
        /* Not started by a hypervisor of this interface: nothing to talk to. */
        li      %r3, VIRT_CALL_EXIT
        li      %r4, 2
        sc
        b       .Lno_hypervisor
        .size _start, . - _start

        .section .note.GNU-stack, "", @progbits
