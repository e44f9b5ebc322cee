/**
 * @file
 *
 * @brief The Context_Control layout that the powerpcvirt context switch
 * (cpu_asm.S beside this file) hard-codes, checked against the tree's own
 * <rtems/score/cpu.h> when the powerpcvirt score is built.
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
    "Context_Control." #field " is not at " #offset ": the powerpcvirt cpu_asm.S " \
    "was written for the RTEMS 4.11 layout; adapt its offsets to this tree" )

/* the PowerPC score measures from the start of Context_Control with its own macros */
#define VIRT_PPC_AT( name, offset ) \
  _Static_assert( ( name ) == ( offset ), #name " is not " #offset ": the powerpcvirt " \
    "cpu_asm.S was written for the RTEMS 4.11 layout with 32-byte cache lines" )

VIRT_PPC_AT( PPC_CONTEXT_OFFSET_GPR1, 32 );
VIRT_PPC_AT( PPC_CONTEXT_OFFSET_MSR, 36 );
VIRT_PPC_AT( PPC_CONTEXT_OFFSET_LR, 40 );
VIRT_PPC_AT( PPC_CONTEXT_OFFSET_CR, 44 );
VIRT_PPC_AT( PPC_CONTEXT_OFFSET_GPR14, 48 );
VIRT_PPC_AT( PPC_CONTEXT_OFFSET_GPR2, 120 );
