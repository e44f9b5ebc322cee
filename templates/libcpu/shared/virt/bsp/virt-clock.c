/**
 * @file
 *
 * @brief <arch>virt clock: the hypervisor's periodic virtual timer.
 *
 * A clock or timer cannot be passed through to a guest, so this driver
 * never touches timer or real-time clock hardware: it starts the virtual
 * timer (VIRT_CALL_TIMER_PERIODIC) and is called back from the event
 * dispatcher on every expiry.  virt-clockdrv.c binds it to the clock
 * driver shell.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include <stdint.h>
#include <libcpu/virt/hypervisor.h>
#include "virt-bsp.h"

/*
 * Returns the period the hypervisor programmed, in microseconds (it may
 * round), or 0 when the timer could not be started.
 */
uint32_t virt_clock_start( uint32_t microseconds_per_tick, void ( *tick )( void ) )
{
  long actual;

  virt_timer_handler = tick;
  actual = virt_timer_periodic( microseconds_per_tick );
  return actual > 0 ? (uint32_t) actual : 0;
}

void virt_clock_stop( void )
{
  (void) virt_timer_periodic( 0 );
  virt_timer_handler = 0;
}
