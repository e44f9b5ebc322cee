#include "rt.h"

/* Executes hlt in ring 3: the monitor must stop it and name hlt and the
   address of the label. */
int test_main(const char *cmdline)
{
  (void) cmdline;
  rt_begin("HLT");
  __asm__ volatile (".globl guest_hlt_here\nguest_hlt_here: hlt");
  rt_end("HLT");
  return 0;
}
