/*
 * @file
 *
 * @brief i386virt entry point.
 *
 * The hypervisor enters here in ring 3 with %eax = VIRT_START_MAGIC and
 * %ebx = the virt_start_info.  Set up the stack from the linker script,
 * clear .bss, connect to the hypervisor (virt_bsp_early_init, shared by
 * every <arch>virt BSP) and call boot_card() with the command line.  No privileged instruction here:
 * the descriptor tables belong to the hypervisor.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#define VIRT_START_MAGIC 0x56495254
#define VIRT_CALL_EXIT   7

        .section .text.start, "ax"
        .globl _start
        .type _start, @function
_start:
        cld
        cmpl    $VIRT_START_MAGIC, %eax
        jne     .Lno_hypervisor
        movl    $_stack_top, %esp
        movl    %ebx, %esi              /* keep the start information */
        movl    $__bss_start, %edi
        movl    $_end, %ecx
        subl    %edi, %ecx
        xorl    %eax, %eax
        rep stosb
        pushl   %esi
        call    virt_bsp_early_init     /* returns the command line */
        addl    $4, %esp
        pushl   %eax
        call    boot_card
        addl    $4, %esp
        pushl   $0
        call    virt_bsp_exit
.Lno_hypervisor:
        /* Not started by a hypervisor of this interface: nothing to talk to. */
        movl    $VIRT_CALL_EXIT, %eax
        movl    $255, %ebx
        int     $0x80
        jmp     .Lno_hypervisor
        .size _start, . - _start

        .section .note.GNU-stack, "", @progbits
