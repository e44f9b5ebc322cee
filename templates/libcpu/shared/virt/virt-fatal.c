/**
 * @file
 *
 * @brief Stopping a guest that reached a function its <arch>virt model has
 * no paravirtualized version of yet.
 *
 * `rtems-virt-config patch` generates, for each such function the score
 * split moved out of cpukit, a stub in libcpu/<arch>/<arch>virt/score/split.c
 * that calls virt_fatal_unsupported() with its name, so the run ends with a
 * message naming it instead of executing a privileged instruction.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include <stdint.h>
#include <libcpu/virt/hypervisor.h>

void virt_fatal_unsupported( const char *what )
{
  static const char msg[] = "fatal: not available under the hypervisor: ";
  uint32_t n = 0;

  while ( what[ n ] != '\0' )
    ++n;
  (void) virt_console_write( msg, sizeof( msg ) - 1 );
  (void) virt_console_write( what, n );
  (void) virt_console_write( "\n", 1 );
  for ( ;; )
    virt_exit( 1 );
}
