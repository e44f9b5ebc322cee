/**
 * @file
 *
 * @brief sparcvirt: the PSR, TBR and WIM accessors of the paravirtualized
 * SPARC score.
 *
 * With RTEMS_PARAVIRT defined, cpukit/score/cpu/sparc/rtems/score/sparc.h
 * turns sparc_get_psr(), sparc_set_psr(), sparc_get_tbr() and
 * sparc_set_tbr() into calls of the functions below, and the score split
 * of `rtems-virt-config patch` turns sparc_get_wim()/sparc_set_wim() into
 * calls of sparc_get_wim_impl()/sparc_set_wim_impl().  A user-state guest
 * cannot read or write those registers (privileged_instruction trap), so:
 *
 * - the PSR is synthesized: S and ET set, the implementation/version
 *   fields of a LEON3, and PIL 15 while virtual interrupts are disabled
 *   (the mask byte of the shared virt_vcpu_state), 0 otherwise.  Setting
 *   it only looks at PIL: non-zero disables, zero enables (with an event
 *   pending, the enable delivers it).  CWP, ET, S, EF are the hypervisor's.
 * - the TBR is virtual.  The hypervisor delivers events to the entry
 *   point registered with VIRT_CALL_SET_ENTRY, never through a trap table,
 *   so nothing executes the table the TBR points to.  It still points to
 *   4 KiB of guest memory (a shadow table, aligned like a real one) so
 *   that _CPU_ISR_install_raw_handler() of the score can write its slots
 *   there harmlessly.
 * - the WIM reads as 0 and writes are ignored: the hypervisor owns the
 *   register windows (overflow, underflow, flush).
 *
 * No rd/wr of %psr, %wim or %tbr in this file.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include <stdint.h>
#include <libcpu/virt/hypervisor.h>

/* The declarations of sparc.h (RTEMS_PARAVIRT) and of the score split. */
uint32_t _SPARC_Get_PSR( void );
void _SPARC_Set_PSR( uint32_t new_psr );
uint32_t _SPARC_Get_TBR( void );
void _SPARC_Set_TBR( uint32_t new_tbr );
uint32_t sparc_get_wim_impl( void );
void sparc_set_wim_impl( uint32_t new_wim );

#define SPARCVIRT_PSR_IMPL_VER 0xf3000000u /* LEON3: impl 0xf, ver 3 */
#define SPARCVIRT_PSR_S        0x00000080u
#define SPARCVIRT_PSR_ET       0x00000020u
#define SPARCVIRT_PSR_PIL_MASK 0x00000f00u
#define SPARCVIRT_TBR_TBA_MASK 0xfffff000u

/* 256 trap table entries of four instructions: never executed (see above). */
static uint32_t sparcvirt_shadow_trap_table[ 256 * 4 ]
  __attribute__(( aligned( 4096 ) ));

static uint32_t *sparcvirt_tba = sparcvirt_shadow_trap_table;

uint32_t _SPARC_Get_PSR( void )
{
  uint32_t psr = SPARCVIRT_PSR_IMPL_VER | SPARCVIRT_PSR_S | SPARCVIRT_PSR_ET;

  if ( virt_irq_level() != 0 )
    psr |= SPARCVIRT_PSR_PIL_MASK;
  return psr;
}

void _SPARC_Set_PSR( uint32_t new_psr )
{
  if ( ( new_psr & SPARCVIRT_PSR_PIL_MASK ) != 0 )
    (void) virt_irq_disable();
  else
    virt_irq_enable();
}

uint32_t _SPARC_Get_TBR( void )
{
  return (uint32_t) (uintptr_t) sparcvirt_tba;
}

void _SPARC_Set_TBR( uint32_t new_tbr )
{
  sparcvirt_tba = (uint32_t *) (uintptr_t) ( new_tbr & SPARCVIRT_TBR_TBA_MASK );
}

uint32_t sparc_get_wim_impl( void )
{
  return 0;
}

void sparc_set_wim_impl( uint32_t new_wim )
{
  (void) new_wim;
}
