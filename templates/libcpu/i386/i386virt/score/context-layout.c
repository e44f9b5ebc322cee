/**
 * @file
 *
 * @brief The Context_Control layout that the i386virt context switch
 * (cpu_asm.S beside this file) hard-codes, checked against the tree's own
 * <rtems/score/cpu.h> when the i386virt score is built.
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
    "Context_Control." #field " is not at " #offset ": the i386virt cpu_asm.S " \
    "was written for the RTEMS 4.11 layout; adapt its offsets to this tree" )

VIRT_CONTEXT_AT( eflags, 0 );
VIRT_CONTEXT_AT( esp, 4 );
VIRT_CONTEXT_AT( ebp, 8 );
VIRT_CONTEXT_AT( ebx, 12 );
VIRT_CONTEXT_AT( esi, 16 );
VIRT_CONTEXT_AT( edi, 20 );
