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

#include <rtems.h>

/*
 * What an <arch>virt BSP offers (the virtual clock, the hooks, the idle
 * body) is the same for every arch: libcpu/shared/virt/bsp/virt-bsp.h.
 */
#include <bsp/virt-bsp.h>

#endif /* ASM */

#endif /* LIBBSP_ARM_ARMVIRT_BSP_H */
