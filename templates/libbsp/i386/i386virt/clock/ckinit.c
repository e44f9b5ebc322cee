/**
 * @file
 *
 * @brief i386virt clock driver: binds clock-virt.c to the clock driver shell.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include <rtems.h>
#include <bsp.h>

uint32_t i386virt_clock_start( uint32_t microseconds_per_tick, void ( *tick )( void ) );
void i386virt_clock_stop( void );

static void i386virt_clock_tick( void );

#define Clock_driver_support_at_tick()
#define Clock_driver_support_install_isr( _new, _old ) \
  do { (void) ( _new ); _old = NULL; } while ( 0 )
#define Clock_driver_support_initialize_hardware() \
  (void) i386virt_clock_start( \
    rtems_configuration_get_microseconds_per_tick(), i386virt_clock_tick )
#define Clock_driver_support_shutdown_hardware() i386virt_clock_stop()

#include "../../../shared/clockdrv_shell.h"

static void i386virt_clock_tick( void )
{
  (void) Clock_isr( 0 );
}
