#include "rt.h"

void boot_card(const char *cmdline);

void rt_puts(const char *s)
{
  uint32_t n = 0;
  while (s[n])
    ++n;
  (void) virt_console_write(s, n);
}

void rt_put_u32(uint32_t v)
{
  char buf[11];
  int n = 10;
  buf[10] = 0;
  do {
    buf[--n] = (char) ('0' + v % 10);
    v /= 10;
  } while (v != 0);
  rt_puts(&buf[n]);
}

void rt_put_hex(uint32_t v)
{
  static const char d[] = "0123456789abcdef";
  char buf[11] = "0x";
  for (int i = 0; i < 8; ++i)
    buf[2 + i] = d[(v >> (28 - 4 * i)) & 15];
  buf[10] = 0;
  rt_puts(buf);
}

void rt_begin(const char *name)
{
  rt_puts("\n\n*** BEGIN OF TEST ");
  rt_puts(name);
  rt_puts(" ***\n");
}

void rt_end(const char *name)
{
  rt_puts("*** END OF TEST ");
  rt_puts(name);
  rt_puts(" ***\n");
}

void boot_card(const char *cmdline)
{
  virt_bsp_exit((uint32_t) test_main(cmdline));
}
