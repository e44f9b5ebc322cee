/*
 * @file
 *
 * @brief The i386 binding of the hypervisor interface: making a call and
 * the virtual interrupt entry point.
 *
 * long virt_call(uint32_t nr, uint32_t arg0, uint32_t arg1, uint32_t arg2)
 *   "int $0x80" with nr in %eax, arguments in %ebx, %ecx, %edx, result in
 *   %eax (see libcpu/shared/virt/hypervisor.h).
 *
 * virt_event_entry
 *   registered with VIRT_CALL_SET_ENTRY by virt_bsp_early_init().  The
 *   hypervisor enters it with the interrupted %eip and %eflags pushed and
 *   virtual interrupts disabled.  It saves the registers the C calling
 *   convention does not preserve, calls virt_event_dispatch() (the shared
 *   BSP code, libcpu/shared/virt/bsp/virt-bsp.c), and
 *   returns with VIRT_CALL_IRQ_RETURN, which restores %eax, %eip and
 *   %eflags and enables virtual interrupts again.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#define VIRT_I386_CALL_VECTOR 0x80
#define VIRT_CALL_IRQ_RETURN  8

        .text
        .p2align 4
        .globl virt_call
        .type virt_call, @function
virt_call:
        pushl   %ebx
        movl    8(%esp), %eax
        movl    12(%esp), %ebx
        movl    16(%esp), %ecx
        movl    20(%esp), %edx
        int     $VIRT_I386_CALL_VECTOR
        popl    %ebx
        ret
        .size virt_call, . - virt_call

        .p2align 4
        .globl virt_event_entry
        .type virt_event_entry, @function
virt_event_entry:
        pushl   %eax                    /* stays on the stack for IRQ_RETURN */
        pushl   %ecx
        pushl   %edx
        cld
        call    virt_event_dispatch
        popl    %edx
        popl    %ecx
        movl    $VIRT_CALL_IRQ_RETURN, %eax
        int     $VIRT_I386_CALL_VECTOR  /* pops %eax, %eip, %eflags */
        .size virt_event_entry, . - virt_event_entry

        .section .note.GNU-stack, "", @progbits
