#include "rt.h"

/* The interface's error results: bad arguments, refused and unknown calls. */
static int check(const char *what, long got, long want)
{
  rt_puts(what);
  rt_puts(got == want ? ": ok\n" : ": WRONG\n");
  return got == want;
}

int test_main(const char *cmdline)
{
  int ok = 1;
  (void) cmdline;
  rt_begin("CALLS");
  ok &= check("console write from a null pointer", virt_call(VIRT_CALL_CONSOLE_WRITE, 0, 4, 0), VIRT_E_INVAL);
  ok &= check("console write past guest RAM", virt_call(VIRT_CALL_CONSOLE_WRITE, 0x01fffff0u, 0x100, 0), VIRT_E_INVAL);
  ok &= check("console write returns the length", virt_console_write("12345", 5), 5);
  ok &= check("entry point in the monitor", virt_call(VIRT_CALL_SET_ENTRY, 0x100000, 0, 0), VIRT_E_INVAL);
  ok &= check("unknown call", virt_call(99, 0, 0, 0), VIRT_E_NOSYS);
  ok &= check("timer interrupt line", virt_request_resource(VIRT_RESOURCE_IRQ, 0, 1), VIRT_E_DENIED);
  ok &= check("RTC interrupt line", virt_request_resource(VIRT_RESOURCE_IRQ, 8, 1), VIRT_E_DENIED);
  ok &= check("local APIC memory", virt_request_resource(VIRT_RESOURCE_MEMORY, 0xFEE00000u, 0x1000), VIRT_E_DENIED);
  ok &= check("RTC ports", virt_request_resource(VIRT_RESOURCE_IO_PORTS, 0x70, 2), VIRT_E_DENIED);
  ok &= check("the monitor's console ports", virt_request_resource(VIRT_RESOURCE_IO_PORTS, 0x3F8, 8), VIRT_E_DENIED);
  ok &= check("a range that only touches the PIT", virt_request_resource(VIRT_RESOURCE_IO_PORTS, 0x30, 0x11), VIRT_E_DENIED);
  ok &= check("empty range", virt_request_resource(VIRT_RESOURCE_IO_PORTS, 0x300, 0), VIRT_E_INVAL);
  ok &= check("unknown resource kind", virt_request_resource(42, 0, 1), VIRT_E_INVAL);
  ok &= check("timer period is rounded", virt_timer_periodic(10000) >= 9990 && virt_timer_periodic(10000) <= 10010, 1);
  ok &= check("timer stops", virt_timer_periodic(0), 0);
  ok &= check("start info version", (long) ((const virt_start_info *) 0x3FF000)->version, VIRT_INTERFACE_VERSION);
  if (!ok)
    return 1;
  rt_end("CALLS");
  return 0;
}
