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

#include <rtems.h>

/*
 * What an <arch>virt BSP offers (the virtual clock, the hooks, the idle
 * body) is the same for every arch: libcpu/shared/virt/bsp/virt-bsp.h.
 */
#include <bsp/virt-bsp.h>

#endif /* ASM */

#endif /* LIBBSP_SPARC_SPARCVIRT_BSP_H */
