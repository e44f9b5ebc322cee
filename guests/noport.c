#include "rt.h"

/* Uses COM2 without asking: a grant made to an earlier guest must not carry over. */
int test_main(const char *cmdline)
{
  (void) cmdline;
  rt_begin("NOPORT");
  __asm__ volatile (".globl guest_out_here\nguest_out_here: outb %%al, %%dx" :: "a"(0x41), "d"(0x2F8));
  rt_end("NOPORT");
  return 0;
}
