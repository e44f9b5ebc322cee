/**
 * @file
 *
 * @brief <arch>virt clock driver: binds virt-clock.c to the clock driver shell.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include <rtems.h>
#include <bsp.h>
#include "virt-bsp.h"

static void virt_clockdrv_tick( void );

#define Clock_driver_support_at_tick()
#define Clock_driver_support_install_isr( _new, _old ) \
  do { (void) ( _new ); _old = NULL; } while ( 0 )
#define Clock_driver_support_initialize_hardware() \
  (void) virt_clock_start( \
    rtems_configuration_get_microseconds_per_tick(), virt_clockdrv_tick )
#define Clock_driver_support_shutdown_hardware() virt_clock_stop()

/*
 * The virtual timer only interrupts; there is no counter to read between
 * ticks, so the tick drives the dummy timecounter (rtems_clock_tick()).
 */
#define CLOCK_DRIVER_USE_DUMMY_TIMECOUNTER

/* from c/src/lib/libcpu/shared/virt/bsp: c/src/lib/libbsp/shared/clockdrv_shell.h */
#include "../../../../libbsp/shared/clockdrv_shell.h"

static void virt_clockdrv_tick( void )
{
  (void) Clock_isr( 0 );
}
