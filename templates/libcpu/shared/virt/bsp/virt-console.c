/**
 * @file
 *
 * @brief <arch>virt polled console through the hypervisor.
 *
 * The console is the hypervisor's: output is VIRT_CALL_CONSOLE_WRITE, no
 * UART is touched.  Provides the hooks of libbsp/shared/console-polled.c
 * (console_initialize_hardware, console_outbyte_polled,
 * console_inbyte_nonblocking) and printk's BSP_output_char/BSP_poll_char.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include <stdint.h>
#include <libcpu/virt/hypervisor.h>

typedef void ( *BSP_output_char_function_type )( char c );
typedef int ( *BSP_polling_getchar_function_type )( void );

void console_initialize_hardware( void );
void console_outbyte_polled( int port, char ch );
int console_inbyte_nonblocking( int port );

void console_initialize_hardware( void )
{
  /* Nothing to set up: the hypervisor owns the console device. */
}

void console_outbyte_polled( int port, char ch )
{
  (void) port;
  (void) virt_console_write( &ch, 1 );
}

int console_inbyte_nonblocking( int port )
{
  (void) port;
  return -1;  /* the interface has no console input */
}

static void virt_output_char( char c )
{
  (void) virt_console_write( &c, 1 );
}

static int virt_poll_char( void )
{
  return -1;
}

BSP_output_char_function_type BSP_output_char = virt_output_char;
BSP_polling_getchar_function_type BSP_poll_char = virt_poll_char;
