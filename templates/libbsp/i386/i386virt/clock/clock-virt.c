/**
 * @file
 *
 * @brief i386virt clock: the hypervisor's periodic virtual timer.
 *
 * A clock or timer cannot be passed through to a guest, so this driver
 * never touches the PIT, the local APIC timer or the RTC: it starts the
 * virtual timer (VIRT_CALL_TIMER_PERIODIC) and is called back from the
 * event dispatcher on every expiry.  ckinit.c binds it to the clock
 * driver shell.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include <stdint.h>
#include <libcpu/virt/hypervisor.h>

extern void ( *i386virt_timer_handler )( void );

uint32_t i386virt_clock_start( uint32_t microseconds_per_tick, void ( *tick )( void ) );
void i386virt_clock_stop( void );

/*
 * Returns the period the hypervisor programmed, in microseconds (it may
 * round), or 0 when the timer could not be started.
 */
uint32_t i386virt_clock_start( uint32_t microseconds_per_tick, void ( *tick )( void ) )
{
  long actual;

  i386virt_timer_handler = tick;
  actual = virt_timer_periodic( microseconds_per_tick );
  return actual > 0 ? (uint32_t) actual : 0;
}

void i386virt_clock_stop( void )
{
  (void) virt_timer_periodic( 0 );
  i386virt_timer_handler = 0;
}
