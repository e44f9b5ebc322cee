/* A stand-in for a stock pc386 executable: a ring 0 multiboot kernel linked at
   1 MiB that prints the test banners on COM1 itself (no hypervisor). */
#include <stdint.h>

__attribute__((section(".multiboot"), used, aligned(4)))
static const uint32_t multiboot_header[3] = { 0x1BADB002u, 0x0u, -(0x1BADB002u) };

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile ("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile ("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static void puts_com1(const char *s)
{
  for (; *s; ++s) {
    while ((inb(0x3FD) & 0x20) == 0)
      ;
    outb(0x3F8, (uint8_t) *s);
  }
}

uint8_t stock_stack[4096] __attribute__((aligned(16)));

void stock_main(void);
void stock_main(void)
{
  puts_com1("\n*** BEGIN OF TEST STOCK ***\nhello from ring 0\n*** END OF TEST STOCK ***\n");
  for (;;)
    __asm__ volatile ("cli; hlt");
}

__asm__ (".text\n.globl _start\n_start:\n  mov $stock_stack + 4096, %esp\n  call stock_main\n");
