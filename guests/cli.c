#include "rt.h"

/* Executes cli in ring 3 (what a native _CPU_ISR_Disable does). */
int test_main(const char *cmdline)
{
  (void) cmdline;
  rt_begin("CLI");
  __asm__ volatile (".globl guest_cli_here\nguest_cli_here: cli");
  rt_end("CLI");
  return 0;
}
