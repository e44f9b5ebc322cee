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

#include <rtems.h>

/*
 * What an <arch>virt BSP offers (the virtual clock, the hooks, the idle
 * body) is the same for every arch: libcpu/shared/virt/bsp/virt-bsp.h.
 */
#include <bsp/virt-bsp.h>

#endif /* ASM */

#endif /* LIBBSP_POWERPC_POWERPCVIRT_BSP_H */
