/**
 * @file
 *
 * @brief The armvirt BSP: a paravirtualized ARMv7-A guest.
 *
 * It runs in User mode under a hypervisor and reaches interrupts, the
 * timer and devices only through the interface in
 * <libcpu/virt/hypervisor.h>: no mrs/msr of the CPSR, no cps, no wfi, no
 * p15 access, no GIC or generic timer, and no exception vectors of its
 * own (events are delivered to one entry point, virt_event_entry).  The
 * code every <arch>virt BSP shares (early start, console, clock, event
 * dispatch) is in libcpu/shared/virt/bsp; <bsp/virt-bsp.h> declares it.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifndef LIBBSP_ARM_ARMVIRT_BSP_H
#define LIBBSP_ARM_ARMVIRT_BSP_H

#include <bspopts.h>

#ifndef ASM

#include <stdint.h>
#include <rtems.h>
#include <bsp/virt-bsp.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief The idle body waits for an event through the hypervisor
 * (libcpu/shared/virt/virt-cpu.c) instead of the score's wfi loop
 * (armv7-thread-idle.c, which the score split moves to the native side),
 * so confdefs.h takes this.
 */
#define BSP_IDLE_TASK_BODY _CPU_Thread_Idle_body

void *_CPU_Thread_Idle_body( uintptr_t ignored );

#ifdef __cplusplus
}
#endif

#endif /* ASM */

#endif /* LIBBSP_ARM_ARMVIRT_BSP_H */
