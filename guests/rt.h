/* Minimal runtime for the guest programs the boot tests build with the host
   compiler.  It sits on the i386virt templates: start.S calls boot_card(),
   the console goes through the hypervisor interface, and <bsp/virt-bsp.h>
   declares the shared <arch>virt BSP code (libcpu/shared/virt/bsp). */
#ifndef RT_H
#define RT_H
#include <stdint.h>
#include <libcpu/virt/hypervisor.h>
#include <bsp/virt-bsp.h>

void rt_puts(const char *s);
void rt_put_u32(uint32_t v);
void rt_put_hex(uint32_t v);
void rt_begin(const char *name);
void rt_end(const char *name);
int test_main(const char *cmdline);
#endif
