#include "rt.h"

int test_main(const char *cmdline)
{
  (void) cmdline;
  rt_begin("HELLO WORLD");
  rt_puts("Hello World\n");
  rt_end("HELLO WORLD");
  return 0;
}
