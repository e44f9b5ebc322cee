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

#include <rtems.h>

/*
 * What an <arch>virt BSP offers (the virtual clock, the hooks, the idle
 * body) is the same for every arch: libcpu/shared/virt/bsp/virt-bsp.h.
 */
#include <bsp/virt-bsp.h>

#endif /* ASM */

#endif /* LIBBSP_I386_I386VIRT_BSP_H */
