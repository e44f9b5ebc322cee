/*
 * @file
 *
 * @brief i386virt context switch and restore.
 *
 * Same Context_Control layout as the native i386 score (offsets below),
 * but the first word holds the *virtual* interrupt state in EFLAGS form
 * (0x200 set: enabled) instead of the real EFLAGS: no pushf, no popf.
 * The virtual level is the mask byte of the shared virt_vcpu_state;
 * restoring an enabled level with an event pending calls the hypervisor
 * to deliver it.
 *
 *   void _CPU_Context_switch(Context_Control *run, Context_Control *heir)
 *   void _CPU_Context_restore(Context_Control *heir)
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#define REG_EFLAGS 0
#define REG_ESP    4
#define REG_EBP    8
#define REG_EBX    12
#define REG_ESI    16
#define REG_EDI    20

#define VCPU_IRQ_MASK    0   /* offsetof(virt_vcpu_state, irq_mask) */
#define VCPU_IRQ_PENDING 1   /* offsetof(virt_vcpu_state, irq_pending) */
#define EFLAGS_IF        0x200
#define VIRT_CALL_IRQ_DELIVER 3

        .text
        .p2align 4
        .globl _CPU_Context_switch
        .type _CPU_Context_switch, @function
_CPU_Context_switch:
        movl    4(%esp), %eax           /* run */
        movl    8(%esp), %edx           /* heir */
        movl    virt_vcpu, %ecx
        cmpb    $0, VCPU_IRQ_MASK(%ecx)
        movl    $0, %ecx
        jne     1f
        movl    $EFLAGS_IF, %ecx
1:      movl    %ecx, REG_EFLAGS(%eax)
        movl    %esp, REG_ESP(%eax)
        movl    %ebp, REG_EBP(%eax)
        movl    %ebx, REG_EBX(%eax)
        movl    %esi, REG_ESI(%eax)
        movl    %edi, REG_EDI(%eax)
        /* fall through */
restore:
        movl    REG_ESP(%edx), %esp
        movl    REG_EBP(%edx), %ebp
        movl    REG_EBX(%edx), %ebx
        movl    REG_ESI(%edx), %esi
        movl    REG_EDI(%edx), %edi
        movl    virt_vcpu, %ecx
        testl   $EFLAGS_IF, REG_EFLAGS(%edx)
        jz      2f
        movb    $0, VCPU_IRQ_MASK(%ecx)
        cmpb    $0, VCPU_IRQ_PENDING(%ecx)
        je      3f
        pushl   $0
        pushl   $0
        pushl   $0
        pushl   $VIRT_CALL_IRQ_DELIVER
        call    virt_call
        addl    $16, %esp
        ret
2:      movb    $1, VCPU_IRQ_MASK(%ecx)
3:      ret
        .size _CPU_Context_switch, . - _CPU_Context_switch

        .p2align 4
        .globl _CPU_Context_restore
        .type _CPU_Context_restore, @function
_CPU_Context_restore:
        movl    4(%esp), %edx
        jmp     restore
        .size _CPU_Context_restore, . - _CPU_Context_restore

        .section .note.GNU-stack, "", @progbits
