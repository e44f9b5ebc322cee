/**
 * @file
 *
 * @brief <arch>virt early start: connect to the hypervisor.
 *
 * virt_bsp_early_init() is called from the arch's start code before
 * boot_card().  It records the start information, publishes the virtual
 * CPU state for the score (virt_vcpu), and registers the arch's virtual
 * interrupt entry point (virt_event_entry), which calls
 * virt_event_dispatch().  virt_bsp_exit() is the exit used by the start
 * code and bsp_reset().
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include <stddef.h>
#include <stdint.h>
#include <libcpu/virt/hypervisor.h>
#include "virt-bsp.h"

const virt_start_info *virt_start_info_ptr;

void ( *virt_timer_handler )( void );

void ( *virt_event_epilogue )( void );

volatile uint32_t virt_event_count;

const char *virt_bsp_early_init( const virt_start_info *info )
{
  virt_start_info_ptr = info;
  virt_vcpu = (virt_vcpu_state *) (uintptr_t) info->vcpu;
  (void) virt_set_entry( virt_event_entry );
  return info->cmdline;
}

void virt_event_dispatch( void )
{
  uint32_t events = virt_take_events();

  ++virt_event_count;
  if ( ( events & VIRT_EVENT_TIMER ) != 0 && virt_timer_handler != NULL )
    ( *virt_timer_handler )();
  if ( virt_event_epilogue != NULL )
    ( *virt_event_epilogue )();
}

void virt_bsp_exit( uint32_t status )
{
  virt_exit( status );
}
