/**
 * @file
 *
 * @brief What the shared <arch>virt BSP code provides and needs.
 *
 * The files beside this header (libcpu/shared/virt/bsp) are compiled by
 * the BSP family of every <arch>virt model.  The family installs this
 * header as <bsp/virt-bsp.h> and its bsp.h includes it.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifndef LIBCPU_SHARED_VIRT_BSP_VIRT_BSP_H
#define LIBCPU_SHARED_VIRT_BSP_VIRT_BSP_H

#include <stdint.h>
#include <libcpu/virt/hypervisor.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The start information the hypervisor passed (virt_bsp_early_init). */
extern const virt_start_info *virt_start_info_ptr;

/** @brief Set by the clock driver: runs once per virtual timer expiry. */
extern void ( *virt_timer_handler )( void );

/** @brief Set by the BSP glue: runs after the events of one delivery (thread dispatch). */
extern void ( *virt_event_epilogue )( void );

/** @brief Counts deliveries; a test or a monitor can read it. */
extern volatile uint32_t virt_event_count;

/**
 * @brief Connects to the hypervisor: records the start information, sets
 * virt_vcpu and registers virt_event_entry.  Called from the arch's start
 * code before boot_card(); returns the command line.
 */
const char *virt_bsp_early_init( const virt_start_info *info );

/**
 * @brief The virtual interrupt entry point, registered with
 * VIRT_CALL_SET_ENTRY; defined per arch in
 * libcpu/<arch>/<arch>virt/score/virt-call.S.  It calls
 * virt_event_dispatch().
 */
void virt_event_entry( void );

/** @brief Takes the pending events and runs the handlers (called by virt_event_entry). */
void virt_event_dispatch( void );

/** @brief Stops the guest with an exit status (bsp_reset(), the start code). */
void virt_bsp_exit( uint32_t status ) __attribute__(( noreturn ));

/** @brief Starts the periodic virtual timer; returns the period it got, in microseconds (0: not started). */
uint32_t virt_clock_start( uint32_t microseconds_per_tick, void ( *tick )( void ) );

/** @brief Stops the virtual timer. */
void virt_clock_stop( void );

/**
 * @brief The idle body of every <arch>virt model waits for an event through
 * the hypervisor (libcpu/shared/virt/virt-cpu.c).  confdefs.h takes
 * BSP_IDLE_TASK_BODY where the score port provides no idle body
 * (CPU_PROVIDES_IDLE_THREAD_BODY FALSE: sparc, powerpc) and where the score
 * split moved its native one out (arm's wfi loop).
 */
#define BSP_IDLE_TASK_BODY _CPU_Thread_Idle_body

void *_CPU_Thread_Idle_body( uintptr_t ignored );

#ifdef __cplusplus
}
#endif

#endif /* LIBCPU_SHARED_VIRT_BSP_VIRT_BSP_H */
