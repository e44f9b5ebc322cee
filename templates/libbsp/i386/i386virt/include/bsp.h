/**
 * @file
 *
 * @brief The i386virt BSP: a paravirtualized i386 guest.
 *
 * It runs deprivileged under a hypervisor and reaches interrupts, the
 * timer and devices only through the interface in
 * <libcpu/virt/hypervisor.h>: no port of the PIC, the PIT or the RTC is
 * touched, and there is no interrupt vector table of its own (events are
 * delivered to one entry point).  The code every <arch>virt BSP shares
 * (early start, console, clock, event dispatch) is in libcpu/shared/virt/bsp;
 * <bsp/virt-bsp.h> declares it.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifndef LIBBSP_I386_I386VIRT_BSP_H
#define LIBBSP_I386_I386VIRT_BSP_H

#include <bspopts.h>

#ifndef ASM

#include <stdint.h>
#include <rtems.h>
#include <bsp/virt-bsp.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The idle body of the paravirtualized score (libcpu/shared/virt/virt-cpu.c):
 * it waits for an event instead of halting.  The i386 score already uses it
 * (CPU_PROVIDES_IDLE_THREAD_BODY); naming it here also makes it the idle
 * task of arches whose score does not provide one.
 */
void *_CPU_Thread_Idle_body( uintptr_t ignored );
#define BSP_IDLE_TASK_BODY _CPU_Thread_Idle_body

#ifdef __cplusplus
}
#endif

#endif /* ASM */

#endif /* LIBBSP_I386_I386VIRT_BSP_H */
