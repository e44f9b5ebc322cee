/**
 * @file
 *
 * @brief The i386virt BSP: a paravirtualized i386 guest.
 *
 * It runs deprivileged under a hypervisor and reaches interrupts, the
 * timer and devices only through the interface in
 * <libcpu/virt/hypervisor.h>: no port of the PIC, the PIT or the RTC is
 * touched, and there is no interrupt vector table of its own (events are
 * delivered to one entry point).
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

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Starts the periodic virtual timer; returns the period it got, in microseconds. */
uint32_t i386virt_clock_start( uint32_t microseconds_per_tick, void ( *tick )( void ) );

/** @brief Stops the virtual timer. */
void i386virt_clock_stop( void );

#ifdef __cplusplus
}
#endif

#endif /* ASM */

#endif /* LIBBSP_I386_I386VIRT_BSP_H */
