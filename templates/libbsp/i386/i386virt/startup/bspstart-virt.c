/**
 * @file
 *
 * @brief i386virt early start: connect to the hypervisor.
 *
 * Called from start.S before boot_card().  Records the start information,
 * publishes the virtual CPU state for the score (virt_vcpu), and registers
 * the virtual interrupt entry point.  Provides the event dispatcher the
 * entry point calls and the exit used by bsp_reset().
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include <stddef.h>
#include <stdint.h>
#include <libcpu/virt/hypervisor.h>

extern void _I386virt_Event_entry( void );

const virt_start_info *i386virt_start_info;

/* Set by the clock driver: runs once per virtual timer expiry. */
void ( *i386virt_timer_handler )( void );

/* Set by the BSP glue: runs after the events of one delivery (thread dispatch). */
void ( *i386virt_event_epilogue )( void );

/* Counts deliveries; a test or a monitor can read it. */
volatile uint32_t i386virt_event_count;

const char *i386virt_early_init( const virt_start_info *info );
void _I386virt_Event_dispatch( void );
void i386virt_exit( uint32_t status ) __attribute__(( noreturn ));

const char *i386virt_early_init( const virt_start_info *info )
{
  i386virt_start_info = info;
  virt_vcpu = (virt_vcpu_state *) (uintptr_t) info->vcpu;
  (void) virt_set_entry( _I386virt_Event_entry );
  return info->cmdline;
}

void _I386virt_Event_dispatch( void )
{
  uint32_t events = virt_take_events();

  ++i386virt_event_count;
  if ( ( events & VIRT_EVENT_TIMER ) != 0 && i386virt_timer_handler != NULL )
    ( *i386virt_timer_handler )();
  if ( i386virt_event_epilogue != NULL )
    ( *i386virt_event_epilogue )();
}

void i386virt_exit( uint32_t status )
{
  virt_exit( status );
}
