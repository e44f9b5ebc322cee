#include "rt.h"

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile ("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile ("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* Asks for the PIT (refused: no clock or timer pass-through) and for COM2
   (granted), then uses COM2's scratch register with in/out. */
int test_main(const char *cmdline)
{
  int ok = 1;
  long pit, uart, pic;
  (void) cmdline;
  rt_begin("PORTS");
  pit = virt_request_resource(VIRT_RESOURCE_IO_PORTS, 0x40, 4);
  pic = virt_request_resource(VIRT_RESOURCE_IO_PORTS, 0x20, 2);
  uart = virt_request_resource(VIRT_RESOURCE_IO_PORTS, 0x2F8, 8);
  rt_puts("pit request: "); rt_put_hex((uint32_t) pit); rt_puts("\n");
  rt_puts("pic request: "); rt_put_hex((uint32_t) pic); rt_puts("\n");
  rt_puts("uart request: "); rt_put_hex((uint32_t) uart); rt_puts("\n");
  if (pit != VIRT_E_DENIED || pic != VIRT_E_DENIED || uart != VIRT_OK)
    ok = 0;
  if (uart == VIRT_OK) {
    outb(0x2FF, 0x5A);
    uint8_t a = inb(0x2FF);
    outb(0x2FF, 0xA5);
    uint8_t b = inb(0x2FF);
    rt_puts("uart scratch: "); rt_put_hex(a); rt_puts(" "); rt_put_hex(b); rt_puts("\n");
    if (a != 0x5A || b != 0xA5)
      ok = 0;
    const char *s = "hello com2\r\n";
    while (*s)
      outb(0x2F8, (uint8_t) *s++);
  }
  if (!ok) {
    rt_puts("PORTS FAILED\n");
    return 1;
  }
  rt_end("PORTS");
  return 0;
}
