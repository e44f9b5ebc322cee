/**
 * @file
 *
 * @brief The Context_Control layout that the sparcvirt context switch
 * (cpu_asm.S beside this file) hard-codes, checked against the tree's own
 * <rtems/score/cpu.h> when the sparcvirt score is built.
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
    "Context_Control." #field " is not at " #offset ": the sparcvirt cpu_asm.S " \
    "was written for the RTEMS 4.11 layout; adapt its offsets to this tree" )

VIRT_CONTEXT_AT( g5, 0x00 );
VIRT_CONTEXT_AT( g7, 0x04 );
VIRT_CONTEXT_AT( l0_and_l1, 0x08 );
VIRT_CONTEXT_AT( l2, 0x10 );
VIRT_CONTEXT_AT( i0, 0x28 );
VIRT_CONTEXT_AT( i6_fp, 0x40 );
VIRT_CONTEXT_AT( o6_sp, 0x48 );
VIRT_CONTEXT_AT( o7, 0x4c );
VIRT_CONTEXT_AT( psr, 0x50 );
VIRT_CONTEXT_AT( isr_dispatch_disable, 0x54 );
