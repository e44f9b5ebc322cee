/**
 * @file
 *
 * @brief The Context_Control layout that the armvirt context switch
 * (cpu_asm.S beside this file) hard-codes, checked against the tree's own
 * <rtems/score/cpu.h> when the armvirt score is built.
 *
 * The assembler offsets were written for RTEMS 4.11.  A tree whose layout
 * differs (another RTEMS version, another multilib) stops the build here,
 * naming the field, instead of linking a context switch that corrupts
 * threads.  This file produces no code.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include <stddef.h>
#include <rtems/score/cpu.h>

#define VIRT_CONTEXT_AT( field, offset ) \
  _Static_assert( offsetof( Context_Control, field ) == ( offset ), \
    "Context_Control." #field " is not at " #offset ": the armvirt cpu_asm.S " \
    "was written for the RTEMS 4.11 layout; adapt its offsets to this tree" )

#if !defined(ARM_MULTILIB_ARCH_V4)
#error "armvirt is written for ARM_MULTILIB_ARCH_V4 (ARMv4 to ARMv7-A): this multilib is another"
#endif
VIRT_CONTEXT_AT( register_cpsr, 0 );
VIRT_CONTEXT_AT( register_r4, 4 );
VIRT_CONTEXT_AT( register_fp, 32 );
VIRT_CONTEXT_AT( register_sp, 36 );
VIRT_CONTEXT_AT( register_lr, 40 );
#if defined(ARM_MULTILIB_HAS_THREAD_ID_REGISTER)
VIRT_CONTEXT_AT( thread_id, 44 );
#endif
