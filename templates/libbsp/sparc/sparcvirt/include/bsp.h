/**
 * @file
 *
 * @brief The sparcvirt BSP: a paravirtualized SPARC V8 guest.
 *
 * It runs in user state under a hypervisor and reaches interrupts, the
 * timer and devices only through the interface in
 * <libcpu/virt/hypervisor.h>: no IRQMP, GPTIMER or APBUART register is
 * touched, the PSR, %wim and %tbr are never read or written, and there is
 * no trap table of its own (events are delivered to one entry point, the
 * hypervisor handles the register windows).  The code every <arch>virt
 * BSP shares (early start, console, clock, event dispatch) is in
 * libcpu/shared/virt/bsp; <bsp/virt-bsp.h> declares it.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifndef LIBBSP_SPARC_SPARCVIRT_BSP_H
#define LIBBSP_SPARC_SPARCVIRT_BSP_H

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
 * it waits for an event instead of powering down.  The SPARC score of 4.11
 * does not provide one (CPU_PROVIDES_IDLE_THREAD_BODY is FALSE), so the BSP
 * names it as the idle task body.
 */
void *_CPU_Thread_Idle_body( uintptr_t ignored );
#define BSP_IDLE_TASK_BODY _CPU_Thread_Idle_body

#ifdef __cplusplus
}
#endif

#endif /* ASM */

#endif /* LIBBSP_SPARC_SPARCVIRT_BSP_H */
