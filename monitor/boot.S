/*
 * rvc-monitor: multiboot entry, descriptor tables and trap stubs.
 *
 * Every trap (exception, hardware interrupt, the guest's call gate) enters
 * isr_common with the same frame layout (struct trap_frame in monitor.h):
 * the handler in C edits the frame, and the return path resumes whatever
 * the frame then describes (normally the ring 3 guest).
 */

#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003   /* page-aligned modules, memory information */

        .section .multiboot, "a"
        .align 4
        .long MB_MAGIC
        .long MB_FLAGS
        .long -(MB_MAGIC + MB_FLAGS)

        .section .text
        .globl _start
_start:
        cli
        cld
        mov $stack_top, %esp
        push %ebx               /* multiboot information */
        push %eax               /* multiboot magic */
        call monitor_main
1:      cli
        hlt
        jmp 1b

/* Load the GDT and reload every segment register: void load_gdt(void *gdtr) */
        .globl load_gdt
load_gdt:
        mov 4(%esp), %eax
        lgdt (%eax)
        mov $0x10, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %ax, %fs
        mov %ax, %gs
        mov %ax, %ss
        ljmp $0x08, $1f
1:      ret

/* Enter the guest through the common return path: void enter_guest(struct trap_frame *) */
        .globl enter_guest
enter_guest:
        mov 4(%esp), %esp
        jmp isr_return

/* Stubs: exceptions that push an error code do not get the dummy zero. */
.macro STUB_NOERR n
        .globl isr_\n
isr_\n:
        push $0
        push $\n
        jmp isr_common
.endm
.macro STUB_ERR n
        .globl isr_\n
isr_\n:
        push $\n
        jmp isr_common
.endm

STUB_NOERR 0
STUB_NOERR 1
STUB_NOERR 2
STUB_NOERR 3
STUB_NOERR 4
STUB_NOERR 5
STUB_NOERR 6
STUB_NOERR 7
STUB_ERR   8
STUB_NOERR 9
STUB_ERR   10
STUB_ERR   11
STUB_ERR   12
STUB_ERR   13
STUB_ERR   14
STUB_NOERR 15
STUB_NOERR 16
STUB_ERR   17
STUB_NOERR 18
STUB_NOERR 19
STUB_NOERR 20
STUB_NOERR 21
STUB_NOERR 22
STUB_NOERR 23
STUB_NOERR 24
STUB_NOERR 25
STUB_NOERR 26
STUB_NOERR 27
STUB_NOERR 28
STUB_NOERR 29
STUB_ERR   30
STUB_NOERR 31
STUB_NOERR 32
STUB_NOERR 33
STUB_NOERR 34
STUB_NOERR 35
STUB_NOERR 36
STUB_NOERR 37
STUB_NOERR 38
STUB_NOERR 39
STUB_NOERR 40
STUB_NOERR 41
STUB_NOERR 42
STUB_NOERR 43
STUB_NOERR 44
STUB_NOERR 45
STUB_NOERR 46
STUB_NOERR 47
STUB_NOERR 128
STUB_NOERR 255

isr_common:
        pusha
        push %ds
        push %es
        push %fs
        push %gs
        mov $0x10, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %ax, %fs
        mov %ax, %gs
        push %esp
        call trap
        add $4, %esp
isr_return:
        pop %gs
        pop %fs
        pop %es
        pop %ds
        popa
        add $8, %esp            /* vector and error code */
        iret

        .section .bss
        .align 16
        .globl stack_bottom
stack_bottom:
        .space 16384
        .globl stack_top
stack_top:

        .section .note.GNU-stack, "", @progbits
