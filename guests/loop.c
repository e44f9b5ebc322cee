#include "rt.h"

/* Never ends: the host must time it out. */
int test_main(const char *cmdline)
{
  (void) cmdline;
  rt_begin("LOOP");
  for (;;)
    __asm__ volatile ("" ::: "memory");
  return 0;
}
