#include "rt.h"

/* Floods the console with FLOOD_LINES lines of 64 bytes, then ends normally. */
#ifndef FLOOD_LINES
#define FLOOD_LINES 4096
#endif

int test_main(const char *cmdline)
{
  static char line[65];
  (void) cmdline;
  rt_begin("FLOOD");
  for (int i = 0; i < 63; ++i)
    line[i] = (char) ('a' + i % 26);
  line[63] = '\n';
  for (int n = 0; n < FLOOD_LINES; ++n) {
    line[0] = (char) ('0' + n % 10);
    (void) virt_console_write(line, 64);
  }
  rt_end("FLOOD");
  return 0;
}
