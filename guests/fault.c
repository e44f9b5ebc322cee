#include "rt.h"

/* Writes through a null pointer: page 0 is not mapped. */
int test_main(const char *cmdline)
{
  (void) cmdline;
  rt_begin("FAULT");
  __asm__ volatile (".globl guest_fault_here\nguest_fault_here: movl $1, 0" ::: "memory");
  rt_end("FAULT");
  return 0;
}
