/*
 * rvc-monitor: the hypervisor that runs an <arch>virt guest for
 * `rtems-virt-config boot`.
 *
 * It boots as a multiboot kernel on an emulated PC, loads the guest ELF
 * (the first multiboot module) into guest RAM, and runs it in ring 3 with
 * its own segments, a TSS whose I/O bitmap denies every port, and paging
 * that hides the monitor.  It implements the calls of
 * templates/libcpu/shared/virt/hypervisor.h (the same header the guest is
 * compiled against), owns the PIT and the PICs, and turns every privileged
 * instruction or fault of the guest into a fatal result on the console:
 *
 *   [rvc-monitor] fatal: privileged instruction hlt at 0x00400123
 *   [rvc-monitor] exit status=0
 *
 * The host (src/boot) reads these lines; everything else on COM1 is the
 * guest's console.
 */

#define VIRT_HYPERVISOR_SIDE 1
#include "hypervisor.h"

typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

/* Layout of guest memory. */
#define SHARED_PAGE   (VIRT_I386_GUEST_RAM_BEGIN - 0x1000u)
#define GUEST_BEGIN   VIRT_I386_GUEST_RAM_BEGIN
#define RAM_END       0x02000000u   /* 32 MiB: the backends give the machine at least this */

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UCODE (0x18 | 3)
#define SEL_UDATA (0x20 | 3)
#define SEL_TSS   0x28

#define COM1 0x3F8

struct trap_frame {
  u32 gs, fs, es, ds;
  u32 edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;
  u32 vector, error;
  u32 eip, cs, eflags, useresp, userss;
};

extern void load_gdt(void *gdtr);
extern void enter_guest(struct trap_frame *f) __attribute__((noreturn));
extern char stack_top[];
extern char monitor_end[];

/* ---------------------------------------------------------------- ports */

static inline void outb(u16 port, u8 v) { __asm__ volatile ("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile ("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* --------------------------------------------------------------- console */

static void serial_init(void)
{
  outb(COM1 + 1, 0x00);  /* no UART interrupts */
  outb(COM1 + 3, 0x80);  /* DLAB */
  outb(COM1 + 0, 0x01);  /* 115200 baud */
  outb(COM1 + 1, 0x00);
  outb(COM1 + 3, 0x03);  /* 8N1 */
  outb(COM1 + 2, 0xC7);  /* FIFO */
  outb(COM1 + 4, 0x03);
}

static void putc_raw(char c)
{
  unsigned spin = 100000;
  while ((inb(COM1 + 5) & 0x20) == 0 && --spin != 0)
    ;
  outb(COM1, (u8) c);
}

static void puts_raw(const char *s)
{
  while (*s)
    putc_raw(*s++);
}

static void put_hex(u32 v)
{
  static const char digits[] = "0123456789abcdef";
  puts_raw("0x");
  for (int i = 7; i >= 0; --i)
    putc_raw(digits[(v >> (i * 4)) & 0xF]);
}

static void put_dec(u32 v)
{
  char buf[12];
  int n = 0;
  do {
    buf[n++] = (char) ('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0)
    putc_raw(buf[--n]);
}

/* A monitor line always starts on a line of its own. */
static int console_at_line_start = 1;

static void guest_putc(char c)
{
  putc_raw(c);
  console_at_line_start = (c == '\n');
}

static void mon_begin(void)
{
  if (!console_at_line_start)
    putc_raw('\n');
  puts_raw("[rvc-monitor] ");
}

static void mon_end(void)
{
  putc_raw('\n');
  console_at_line_start = 1;
}

static void halt_forever(void) __attribute__((noreturn));
static void halt_forever(void)
{
  /* Spin rather than hlt: the host stops the emulator as soon as it has read
     the last line, and an emulator that is running notices a stop request at
     once (v86 sleeps up to its next timer when the CPU is halted). */
  __asm__ volatile ("cli");
  for (;;)
    __asm__ volatile ("pause");
}

static void panic(const char *why, u32 value) __attribute__((noreturn));
static void panic(const char *why, u32 value)
{
  mon_begin();
  puts_raw("fatal: monitor: ");
  puts_raw(why);
  putc_raw(' ');
  put_hex(value);
  mon_end();
  halt_forever();
}

/* ------------------------------------------------ descriptors and paging */

struct gdt_entry { u16 limit_lo, base_lo; u8 base_mid, access, gran, base_hi; } __attribute__((packed));
struct idt_entry { u16 off_lo, sel; u8 zero, type; u16 off_hi; } __attribute__((packed));
struct dtr { u16 limit; u32 base; } __attribute__((packed));

struct tss {
  u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
  u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
  u32 es, cs, ss, ds, fs, gs, ldt;
  u16 trap, iomap_base;
  u8 iomap[8192 + 1];
} __attribute__((packed));

static struct gdt_entry gdt[6];
static struct idt_entry idt[256];
static struct tss tss __attribute__((aligned(16)));
static u32 page_dir[1024] __attribute__((aligned(4096)));
static u32 page_tables[RAM_END / 0x400000u][1024] __attribute__((aligned(4096)));

static void gdt_set(int i, u32 base, u32 limit, u8 access, u8 gran)
{
  gdt[i].limit_lo = (u16) (limit & 0xFFFF);
  gdt[i].base_lo = (u16) (base & 0xFFFF);
  gdt[i].base_mid = (u8) ((base >> 16) & 0xFF);
  gdt[i].access = access;
  gdt[i].gran = (u8) (((limit >> 16) & 0x0F) | gran);
  gdt[i].base_hi = (u8) (base >> 24);
}

static void idt_set(int v, void (*handler)(void), int dpl)
{
  u32 off = (u32) handler;
  idt[v].off_lo = (u16) (off & 0xFFFF);
  idt[v].sel = SEL_KCODE;
  idt[v].zero = 0;
  idt[v].type = (u8) (0x8E | (dpl << 5));  /* present 32-bit interrupt gate */
  idt[v].off_hi = (u16) (off >> 16);
}

#define STUB(n) extern void isr_##n(void);
STUB(0) STUB(1) STUB(2) STUB(3) STUB(4) STUB(5) STUB(6) STUB(7) STUB(8) STUB(9)
STUB(10) STUB(11) STUB(12) STUB(13) STUB(14) STUB(15) STUB(16) STUB(17) STUB(18) STUB(19)
STUB(20) STUB(21) STUB(22) STUB(23) STUB(24) STUB(25) STUB(26) STUB(27) STUB(28) STUB(29)
STUB(30) STUB(31) STUB(32) STUB(33) STUB(34) STUB(35) STUB(36) STUB(37) STUB(38) STUB(39)
STUB(40) STUB(41) STUB(42) STUB(43) STUB(44) STUB(45) STUB(46) STUB(47) STUB(128) STUB(255)

static void (*const stubs[48])(void) = {
  isr_0, isr_1, isr_2, isr_3, isr_4, isr_5, isr_6, isr_7, isr_8, isr_9,
  isr_10, isr_11, isr_12, isr_13, isr_14, isr_15, isr_16, isr_17, isr_18, isr_19,
  isr_20, isr_21, isr_22, isr_23, isr_24, isr_25, isr_26, isr_27, isr_28, isr_29,
  isr_30, isr_31, isr_32, isr_33, isr_34, isr_35, isr_36, isr_37, isr_38, isr_39,
  isr_40, isr_41, isr_42, isr_43, isr_44, isr_45, isr_46, isr_47,
};

static void tables_init(void)
{
  struct dtr d;

  gdt_set(0, 0, 0, 0, 0);
  gdt_set(1, 0, 0xFFFFF, 0x9A, 0xC0);  /* ring 0 code */
  gdt_set(2, 0, 0xFFFFF, 0x92, 0xC0);  /* ring 0 data */
  gdt_set(3, 0, 0xFFFFF, 0xFA, 0xC0);  /* ring 3 code */
  gdt_set(4, 0, 0xFFFFF, 0xF2, 0xC0);  /* ring 3 data */
  gdt_set(5, (u32) &tss, sizeof(tss) - 1, 0x89, 0x00);  /* available 32-bit TSS */
  d.limit = sizeof(gdt) - 1;
  d.base = (u32) gdt;
  load_gdt(&d);

  tss.ss0 = SEL_KDATA;
  tss.esp0 = (u32) stack_top;
  tss.iomap_base = (u16) __builtin_offsetof(struct tss, iomap);
  for (unsigned i = 0; i < sizeof(tss.iomap); ++i)
    tss.iomap[i] = 0xFF;                 /* every port denied */
  __asm__ volatile ("ltr %w0" :: "r"(SEL_TSS));

  for (int v = 0; v < 256; ++v)
    idt_set(v, isr_255, 0);
  for (int v = 0; v < 48; ++v)
    idt_set(v, stubs[v], 0);
  idt_set(VIRT_I386_CALL_VECTOR, isr_128, 3);
  d.limit = sizeof(idt) - 1;
  d.base = (u32) idt;
  __asm__ volatile ("lidt %0" :: "m"(d));
}

static void paging_init(void)
{
  for (u32 t = 0; t < RAM_END / 0x400000u; ++t) {
    for (u32 i = 0; i < 1024; ++i) {
      u32 addr = t * 0x400000u + i * 0x1000u;
      u32 flags = 0x3;                   /* present, writable, supervisor */
      if (addr >= SHARED_PAGE)
        flags |= 0x4;                    /* user */
      page_tables[t][i] = addr | flags;
    }
    page_dir[t] = (u32) page_tables[t] | 0x7;
  }
  page_tables[0][0] = 0;                 /* page 0 absent: null pointers fault */
  __asm__ volatile ("mov %0, %%cr3" :: "r"(page_dir));
  u32 cr0;
  __asm__ volatile ("mov %%cr0, %0" : "=r"(cr0));
  cr0 |= 0x80000000u | 0x2u;             /* PG, MP */
  cr0 &= ~(0x4u | 0x8u);                 /* EM and TS clear: the guest may use the FPU */
  __asm__ volatile ("mov %0, %%cr0" :: "r"(cr0));
  __asm__ volatile ("fninit");
}

/* ------------------------------------------------------------ PIC and PIT */

static u8 pic_mask_master = 0xFF;

static void pic_init(void)
{
  outb(0x20, 0x11); outb(0xA0, 0x11);    /* ICW1: edge, cascade, ICW4 */
  outb(0x21, 0x20); outb(0xA1, 0x28);    /* vectors 0x20 and 0x28 */
  outb(0x21, 0x04); outb(0xA1, 0x02);
  outb(0x21, 0x01); outb(0xA1, 0x01);
  outb(0x21, pic_mask_master); outb(0xA1, 0xFF);
}

static u32 timer_set(u32 period_us)
{
  if (period_us == 0) {
    pic_mask_master |= 0x01;
    outb(0x21, pic_mask_master);
    return 0;
  }
  if (period_us > 60000u)
    period_us = 60000u;
  u32 divisor = (period_us * 1193u + 500u) / 1000u;   /* 1.193182 PIT ticks per microsecond */
  if (divisor < 12)
    divisor = 12;                        /* about 10 us */
  if (divisor > 65535)
    divisor = 65535;                     /* about 54.9 ms */
  outb(0x43, 0x34);                      /* channel 0, lo/hi, rate generator */
  outb(0x40, (u8) (divisor & 0xFF));
  outb(0x40, (u8) (divisor >> 8));
  pic_mask_master &= (u8) ~0x01;
  outb(0x21, pic_mask_master);
  return (divisor * 8381u + 5000u) / 10000u;          /* 0.8381 microseconds per PIT tick */
}

/* ------------------------------------------------------------ the guest */

static virt_start_info *const start_info = (virt_start_info *) SHARED_PAGE;
static virt_vcpu_state *const vcpu = (virt_vcpu_state *) (SHARED_PAGE + 0x100u);
static u32 guest_entry_point;            /* virtual interrupt entry, 0: none */

static int guest_range_ok(u32 addr, u32 len)
{
  if (addr < SHARED_PAGE || addr > RAM_END)
    return 0;
  return len <= RAM_END - addr;
}

static void report_regs(struct trap_frame *f)
{
  mon_begin();
  puts_raw("registers: eax="); put_hex(f->eax);
  puts_raw(" ebx="); put_hex(f->ebx);
  puts_raw(" ecx="); put_hex(f->ecx);
  puts_raw(" edx="); put_hex(f->edx);
  puts_raw(" esi="); put_hex(f->esi);
  puts_raw(" edi="); put_hex(f->edi);
  puts_raw(" ebp="); put_hex(f->ebp);
  puts_raw(" esp="); put_hex(f->useresp);
  puts_raw(" eflags="); put_hex(f->eflags);
  mon_end();
}

static void guest_fatal(struct trap_frame *f, const char *what, const char *detail, u32 detail_value)
  __attribute__((noreturn));
static void guest_fatal(struct trap_frame *f, const char *what, const char *detail, u32 detail_value)
{
  mon_begin();
  puts_raw("fatal: ");
  puts_raw(what);
  if (detail) {
    puts_raw(detail);
    put_hex(detail_value);
  }
  puts_raw(" at ");
  put_hex(f->eip);
  mon_end();
  report_regs(f);
  halt_forever();
}

/* Name the privileged instruction at the guest's EIP, or return 0. */
static const char *privileged_name(u32 eip, u32 *imm)
{
  const u8 *p;
  int n = 0;

  *imm = 0xFFFFFFFFu;
  if (!guest_range_ok(eip, 16))
    return 0;
  p = (const u8 *) eip;
  while (n < 4 && (p[0] == 0x66 || p[0] == 0x67 || p[0] == 0xF2 || p[0] == 0xF3 || p[0] == 0xF0 ||
                   p[0] == 0x2E || p[0] == 0x36 || p[0] == 0x3E || p[0] == 0x26 || p[0] == 0x64 || p[0] == 0x65)) {
    ++p;
    ++n;
  }
  switch (p[0]) {
    case 0xF4: return "hlt";
    case 0xFA: return "cli";
    case 0xFB: return "sti";
    case 0xE4: case 0xE5: *imm = p[1]; return "in";
    case 0xEC: case 0xED: return "in";
    case 0xE6: case 0xE7: *imm = p[1]; return "out";
    case 0xEE: case 0xEF: return "out";
    case 0x6C: case 0x6D: return "ins";
    case 0x6E: case 0x6F: return "outs";
    case 0xCD: *imm = p[1]; return "int";
    case 0xCC: *imm = 3; return "int3";
    case 0xCE: return "into";
    case 0xCF: return "iret";
    case 0x9D: return "popf";
    case 0x8E: return "mov to segment register";
    case 0x0F:
      switch (p[1]) {
        case 0x00:
          switch ((p[2] >> 3) & 7) {
            case 2: return "lldt";
            case 3: return "ltr";
            default: return "sldt/str/verr/verw";
          }
        case 0x01:
          switch ((p[2] >> 3) & 7) {
            case 0: return "sgdt";
            case 1: return "sidt";
            case 2: return "lgdt";
            case 3: return "lidt";
            case 4: return "smsw";
            case 6: return "lmsw";
            case 7: return "invlpg";
            default: return "0f 01 system instruction";
          }
        case 0x06: return "clts";
        case 0x08: return "invd";
        case 0x09: return "wbinvd";
        case 0x20: return "mov from control register";
        case 0x22: return "mov to control register";
        case 0x21: return "mov from debug register";
        case 0x23: return "mov to debug register";
        case 0x30: return "wrmsr";
        case 0x32: return "rdmsr";
        case 0x33: return "rdpmc";
        case 0x31: return "rdtsc";
        default: return 0;
      }
    default:
      return 0;
  }
}

static const char *const exception_names[32] = {
  "divide error (#DE)", "debug exception (#DB)", "non-maskable interrupt", "breakpoint (#BP)",
  "overflow (#OF)", "bound range exceeded (#BR)", "invalid opcode (#UD)", "device not available (#NM)",
  "double fault (#DF)", "coprocessor segment overrun", "invalid TSS (#TS)", "segment not present (#NP)",
  "stack-segment fault (#SS)", "general protection fault (#GP)", "page fault (#PF)", "reserved exception 15",
  "x87 floating-point error (#MF)", "alignment check (#AC)", "machine check (#MC)", "SIMD floating-point error (#XM)",
  "reserved exception 20", "reserved exception 21", "reserved exception 22", "reserved exception 23",
  "reserved exception 24", "reserved exception 25", "reserved exception 26", "reserved exception 27",
  "reserved exception 28", "reserved exception 29", "reserved exception 30", "reserved exception 31",
};

static void guest_exception(struct trap_frame *f) __attribute__((noreturn));
static void guest_exception(struct trap_frame *f)
{
  if (f->vector == 13) {
    u32 imm;
    const char *name = privileged_name(f->eip, &imm);
    if ((f->error & 0x2) != 0) {          /* int n through a gate the guest may not use */
      guest_fatal(f, "privileged instruction int", " ", f->error >> 3);
    }
    if (name) {
      mon_begin();
      puts_raw("fatal: privileged instruction ");
      puts_raw(name);
      if (imm != 0xFFFFFFFFu) {
        puts_raw(" ");
        put_hex(imm);
      }
      puts_raw(" at ");
      put_hex(f->eip);
      mon_end();
      report_regs(f);
      halt_forever();
    }
    guest_fatal(f, "general protection fault (#GP)", ", error code ", f->error);
  }
  if (f->vector == 14) {
    u32 cr2;
    __asm__ volatile ("mov %%cr2, %0" : "=r"(cr2));
    const char *kind = (f->error & 0x1) ? ((f->error & 0x2) ? "page fault (#PF): write to protected page "
                                                             : "page fault (#PF): read of protected page ")
                                        : ((f->error & 0x2) ? "page fault (#PF): write to unmapped page "
                                                            : "page fault (#PF): read of unmapped page ");
    if (f->error & 0x10)
      kind = "page fault (#PF): instruction fetch from ";
    guest_fatal(f, kind, "address ", cr2);
  }
  guest_fatal(f, exception_names[f->vector & 31], 0, 0);
}

/* Deliver pending events if the guest allows it (frame is a ring 3 frame). */
static void maybe_deliver(struct trap_frame *f)
{
  if (vcpu->irq_mask || !vcpu->irq_pending || guest_entry_point == 0)
    return;
  u32 sp = f->useresp - 8;
  if (!guest_range_ok(sp, 8))
    guest_fatal(f, "event delivery: guest stack outside guest RAM", ", esp ", f->useresp);
  ((u32 *) sp)[1] = f->eflags & 0xCD5u;
  ((u32 *) sp)[0] = f->eip;
  f->useresp = sp;
  f->eip = guest_entry_point;
  vcpu->irq_mask = 1;
  vcpu->irq_pending = 0;
}

static void raise_event(u32 bits)
{
  vcpu->pending_events |= bits;
  vcpu->irq_pending = 1;
}

static int exit_requested;

static int ports_refused(u32 first, u32 last)
{
  static const u16 refused[][2] = {
    { 0x0020, 0x0021 },   /* master PIC */
    { 0x00A0, 0x00A1 },   /* slave PIC */
    { 0x0040, 0x0043 },   /* PIT */
    { 0x0061, 0x0061 },   /* PIT channel 2 gate */
    { 0x0070, 0x0071 },   /* RTC */
    { 0x03F8, 0x03FF },   /* COM1: the monitor's console */
    { 0x0CF8, 0x0CFF },   /* PCI configuration (would reach the local APIC and HPET) */
  };
  for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); ++i)
    if (first <= refused[i][1] && last >= refused[i][0])
      return 1;
  return 0;
}

static long request_resource(u32 kind, u32 first, u32 count)
{
  if (count == 0)
    return VIRT_E_INVAL;
  switch (kind) {
    case VIRT_RESOURCE_IO_PORTS: {
      if (first > 0xFFFF || count > 0x10000u - first)
        return VIRT_E_INVAL;
      u32 last = first + count - 1;
      if (ports_refused(first, last))
        return VIRT_E_DENIED;
      for (u32 p = first; p <= last; ++p)
        tss.iomap[p >> 3] &= (u8) ~(1u << (p & 7));
      mon_begin();
      puts_raw("granted I/O ports ");
      put_hex(first);
      puts_raw("-");
      put_hex(last);
      mon_end();
      return VIRT_OK;
    }
    case VIRT_RESOURCE_IRQ:
      if (first == 0 || first == 2 || first == 8 || (first <= 15 && count > 15 - first + 1))
        return VIRT_E_DENIED;              /* PIT, cascade, RTC */
      return VIRT_E_NOSYS;
    case VIRT_RESOURCE_MEMORY:
      if (first >= 0xFEC00000u)
        return VIRT_E_DENIED;              /* IO-APIC, HPET, local APIC */
      return VIRT_E_NOSYS;
    default:
      return VIRT_E_INVAL;
  }
}

static void wait_for_event(void)
{
  while (!vcpu->irq_pending) {
    if (pic_mask_master & 0x01)
      return;                            /* no event source: do not sleep forever */
    __asm__ volatile ("sti; hlt; cli" ::: "memory");
  }
}

static void hypercall(struct trap_frame *f)
{
  long r = VIRT_E_NOSYS;

  switch (f->eax) {
    case VIRT_CALL_CONSOLE_WRITE:
      if (!guest_range_ok(f->ebx, f->ecx)) {
        r = VIRT_E_INVAL;
        break;
      }
      for (u32 i = 0; i < f->ecx; ++i)
        guest_putc(((const char *) f->ebx)[i]);
      r = (long) f->ecx;
      break;
    case VIRT_CALL_WAIT_FOR_EVENT:
      wait_for_event();
      r = VIRT_OK;
      break;
    case VIRT_CALL_IRQ_DELIVER:
      r = VIRT_OK;
      break;
    case VIRT_CALL_SET_ENTRY:
      if (f->ebx != 0 && !guest_range_ok(f->ebx, 1)) {
        r = VIRT_E_INVAL;
        break;
      }
      guest_entry_point = f->ebx;
      r = VIRT_OK;
      break;
    case VIRT_CALL_TIMER_PERIODIC:
      vcpu->timer_ticks = 0;
      vcpu->timer_period_us = timer_set(f->ebx);
      r = (long) vcpu->timer_period_us;
      break;
    case VIRT_CALL_REQUEST_RESOURCE:
      r = request_resource(f->ebx, f->ecx, f->edx);
      break;
    case VIRT_CALL_EXIT:
      mon_begin();
      puts_raw("exit status=");
      put_dec(f->ebx);
      mon_end();
      exit_requested = 1;
      halt_forever();
    case VIRT_CALL_IRQ_RETURN: {
      u32 sp = f->useresp;
      if (!guest_range_ok(sp, 12))
        guest_fatal(f, "interrupt return: guest stack outside guest RAM", ", esp ", sp);
      f->eax = ((u32 *) sp)[0];
      f->eip = ((u32 *) sp)[1];
      f->eflags = (f->eflags & ~0xCD5u) | (((u32 *) sp)[2] & 0xCD5u);
      f->useresp = sp + 12;
      vcpu->irq_mask = 0;
      maybe_deliver(f);
      return;
    }
    default:
      r = VIRT_E_NOSYS;
      break;
  }
  f->eax = (u32) r;
  maybe_deliver(f);
}

void trap(struct trap_frame *f);
void trap(struct trap_frame *f)
{
  int from_guest = (f->cs & 3) == 3;

  if (f->vector >= 0x20 && f->vector < 0x30) {
    u32 irq = f->vector - 0x20;
    if (irq == 0) {
      vcpu->timer_ticks++;
      raise_event(VIRT_EVENT_TIMER);
    }
    if (irq >= 8)
      outb(0xA0, 0x20);
    outb(0x20, 0x20);
    if (from_guest)
      maybe_deliver(f);
    return;
  }
  if (!from_guest)
    panic("trap in the monitor, vector", f->vector);
  if (f->vector == VIRT_I386_CALL_VECTOR) {
    hypercall(f);
    return;
  }
  guest_exception(f);
}

/* ------------------------------------------------------------ loading */

struct multiboot_info {
  u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
};
struct multiboot_module { u32 start, end, string, reserved; };

struct elf32_ehdr {
  u8 ident[16];
  u16 type, machine;
  u32 version, entry, phoff, shoff, flags;
  u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf32_phdr { u32 type, offset, vaddr, paddr, filesz, memsz, flags, align; };

static void copy(void *dst, const void *src, u32 n)
{
  u8 *d = dst;
  const u8 *s = src;
  if (d < s) {
    for (u32 i = 0; i < n; ++i) d[i] = s[i];
  } else {
    while (n--) d[n] = s[n];
  }
}

static void zero(void *dst, u32 n)
{
  u8 *d = dst;
  for (u32 i = 0; i < n; ++i) d[i] = 0;
}

static void load_fail(const char *why, u32 value) __attribute__((noreturn));
static void load_fail(const char *why, u32 value)
{
  mon_begin();
  puts_raw("invalid guest: ");
  puts_raw(why);
  putc_raw(' ');
  put_hex(value);
  mon_end();
  halt_forever();
}

static u32 load_guest(const u8 *image, u32 size, u32 *image_end)
{
  const struct elf32_ehdr *eh = (const void *) image;
  u32 top = GUEST_BEGIN;

  if (size < sizeof(*eh) || image[0] != 0x7F || image[1] != 'E' || image[2] != 'L' || image[3] != 'F')
    load_fail("not an ELF file, size", size);
  if (image[4] != 1 || eh->machine != 3)
    load_fail("not a 32-bit i386 ELF, machine", eh->machine);
  if (eh->phoff + (u32) eh->phnum * sizeof(struct elf32_phdr) > size)
    load_fail("program headers past the end of the file, phoff", eh->phoff);
  /* The module sits below guest RAM, so copying upwards cannot clobber it
     unless it is large; then the later segments would be read from RAM
     already written.  Refuse that case rather than load garbage. */
  if ((u32) image + size > GUEST_BEGIN)
    load_fail("module overlaps guest RAM (too large), end", (u32) image + size);
  for (u32 i = 0; i < eh->phnum; ++i) {
    const struct elf32_phdr *ph = (const void *) (image + eh->phoff + i * sizeof(struct elf32_phdr));
    if (ph->type != 1 || ph->memsz == 0)
      continue;
    if (ph->paddr < GUEST_BEGIN || ph->memsz > RAM_END - ph->paddr)
      load_fail("segment outside guest RAM, address", ph->paddr);
    if (ph->filesz > ph->memsz || ph->offset + ph->filesz > size)
      load_fail("segment past the end of the file, offset", ph->offset);
    copy((void *) ph->paddr, image + ph->offset, ph->filesz);
    zero((void *) (ph->paddr + ph->filesz), ph->memsz - ph->filesz);
    if (ph->paddr + ph->memsz > top)
      top = ph->paddr + ph->memsz;
  }
  if (eh->entry < GUEST_BEGIN || eh->entry >= top)
    load_fail("entry point outside the loaded image", eh->entry);
  *image_end = top;
  return eh->entry;
}

void monitor_main(u32 magic, struct multiboot_info *mbi);
void monitor_main(u32 magic, struct multiboot_info *mbi)
{
  static struct trap_frame first;
  u32 image_end = GUEST_BEGIN;

  serial_init();
  mon_begin();
  puts_raw("start interface=");
  put_dec(VIRT_INTERFACE_VERSION);
  mon_end();
  if (magic != 0x2BADB002u)
    panic("not started by a multiboot loader, magic", magic);
  if ((u32) monitor_end > SHARED_PAGE)
    panic("monitor image too large, end", (u32) monitor_end);
  if (!(mbi->flags & 0x8) || mbi->mods_count < 1)
    load_fail("no guest: pass the executable as the first multiboot module, modules", mbi->mods_count);

  const struct multiboot_module *mod = (const void *) mbi->mods_addr;
  u32 entry = load_guest((const u8 *) mod->start, mod->end - mod->start, &image_end);

  tables_init();
  pic_init();
  paging_init();

  zero((void *) SHARED_PAGE, 0x1000);
  start_info->magic = VIRT_START_MAGIC;
  start_info->version = VIRT_INTERFACE_VERSION;
  start_info->vcpu = (u32) vcpu;
  start_info->ram_begin = GUEST_BEGIN;
  start_info->ram_end = RAM_END;
  start_info->image_end = image_end;
  if (mbi->flags & 0x4) {
    const char *c = (const char *) mbi->cmdline;
    for (unsigned i = 0; i + 1 < sizeof(start_info->cmdline) && c[i]; ++i)
      start_info->cmdline[i] = c[i];
  }
  vcpu->irq_mask = 1;                    /* the guest starts with virtual interrupts disabled */

  mon_begin();
  puts_raw("guest entry=");
  put_hex(entry);
  puts_raw(" end=");
  put_hex(image_end);
  mon_end();

  first.gs = first.fs = first.es = first.ds = SEL_UDATA;
  first.eax = VIRT_START_MAGIC;
  first.ebx = (u32) start_info;
  first.eip = entry;
  first.cs = SEL_UCODE;
  first.eflags = 0x202;                  /* IF: the guest is always preemptible by the monitor */
  first.useresp = RAM_END;
  first.userss = SEL_UDATA;
  (void) exit_requested;
  enter_guest(&first);
}
