/**
 * @file
 *
 * @brief i386virt SuperCore support: ISR level, idle body, start.
 *
 * The paravirtualized counterpart of the privileged parts of the i386
 * score: every operation on the interrupt state goes through the
 * hypervisor interface (a byte in the shared page; a call only to deliver
 * a pending event), and the idle body waits for an event instead of
 * executing hlt.  No cli, sti, pushf, popf or hlt in this file.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 *
 * The license and distribution terms for this file may be
 * found in the file LICENSE in this distribution or at
 * http://www.rtems.org/license/LICENSE.
 */

#include <stddef.h>
#include <stdint.h>
#include <libcpu/virt/hypervisor.h>

virt_vcpu_state *virt_vcpu;

uint32_t _CPU_ISR_Disable_support( void );
void _CPU_ISR_Enable_support( uint32_t level );
void _CPU_ISR_Flash_support( uint32_t level );
uint32_t _CPU_ISR_Get_level( void );
void _CPU_ISR_Set_level( uint32_t new_level );
void *_CPU_Thread_Idle_body( uintptr_t ignored );

/*
 *  _CPU_ISR_Disable_support
 *
 *  Disable virtual interrupts and return the previous level (0 enabled,
 *  1 disabled), as _CPU_ISR_Disable() expects.
 */
uint32_t _CPU_ISR_Disable_support( void )
{
  return virt_irq_disable();
}

/*
 *  _CPU_ISR_Enable_support
 *
 *  Go back to the level returned by _CPU_ISR_Disable_support().
 */
void _CPU_ISR_Enable_support( uint32_t level )
{
  virt_irq_restore( level );
}

/*
 *  _CPU_ISR_Flash_support
 *
 *  Let pending events in for a moment, then disable again.
 */
void _CPU_ISR_Flash_support( uint32_t level )
{
  virt_irq_flash( level );
}

uint32_t _CPU_ISR_Get_level( void )
{
  return virt_irq_level();
}

void _CPU_ISR_Set_level( uint32_t new_level )
{
  if ( new_level != 0 )
    (void) virt_irq_disable();
  else
    virt_irq_enable();
}

/*
 *  _CPU_Thread_Idle_body
 *
 *  Wait for an event through the hypervisor instead of hlt.
 */
void *_CPU_Thread_Idle_body( uintptr_t ignored )
{
  (void) ignored;
  for ( ; ; )
    virt_wait_for_event();
  return NULL;
}
