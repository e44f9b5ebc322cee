/**
 * @file
 *
 * @brief The powerpcvirt BSP: a paravirtualized 32-bit PowerPC guest.
 *
 * It runs in problem state (MSR[PR] = 1) under a hypervisor and reaches
 * interrupts, the timer and devices only through the interface in
 * <libcpu/virt/hypervisor.h>: no mtmsr, no decrementer, no interrupt
 * controller, and no exception vectors of its own (events are delivered
 * to one entry point, virt_event_entry).
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifndef LIBBSP_POWERPC_POWERPCVIRT_BSP_H
#define LIBBSP_POWERPC_POWERPCVIRT_BSP_H

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
 * (libcpu/shared/virt/virt-cpu.c); the PowerPC score does not provide one
 * (CPU_PROVIDES_IDLE_THREAD_BODY is FALSE), so confdefs.h takes this.
 */
#define BSP_IDLE_TASK_BODY _CPU_Thread_Idle_body

void *_CPU_Thread_Idle_body( uintptr_t ignored );

#ifdef __cplusplus
}
#endif

#endif /* ASM */

#endif /* LIBBSP_POWERPC_POWERPCVIRT_BSP_H */
