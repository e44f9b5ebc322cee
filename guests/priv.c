#include "rt.h"

/* One privileged or sensitive-and-trapping instruction, chosen at build time
   (-DPRIV_<name>), at the label guest_priv_here. */
int test_main(const char *cmdline)
{
  (void) cmdline;
  rt_begin("PRIV");
#if defined(PRIV_lidt)
  static struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d;
  __asm__ volatile (".globl guest_priv_here\nguest_priv_here: lidt %0" :: "m"(d));
#elif defined(PRIV_movcr)
  __asm__ volatile (".globl guest_priv_here\nguest_priv_here: mov %%eax, %%cr3" :: "a"(0));
#elif defined(PRIV_in)
  uint8_t v;
  __asm__ volatile (".globl guest_priv_here\nguest_priv_here: inb $0x40, %0" : "=a"(v));
#elif defined(PRIV_int)
  __asm__ volatile (".globl guest_priv_here\nguest_priv_here: int $0x21");
#elif defined(PRIV_sti)
  __asm__ volatile (".globl guest_priv_here\nguest_priv_here: sti");
#elif defined(PRIV_wrmsr)
  __asm__ volatile (".globl guest_priv_here\nguest_priv_here: wrmsr" :: "a"(0), "d"(0), "c"(0x10));
#elif defined(PRIV_ud2)
  __asm__ volatile (".globl guest_priv_here\nguest_priv_here: ud2");
#elif defined(PRIV_div0)
  volatile uint32_t zero = 0;
  uint32_t r;
  __asm__ volatile (".globl guest_priv_here\nguest_priv_here: divl %2" : "=a"(r) : "a"(1), "r"(zero), "d"(0));
  (void) r;
#elif defined(PRIV_monitor)
  /* Reads the monitor's memory (supervisor-only pages). */
  __asm__ volatile (".globl guest_priv_here\nguest_priv_here: movl 0x100000, %%eax" ::: "eax");
#else
#error "define PRIV_<name>"
#endif
  rt_end("PRIV");
  return 0;
}
