/*
 * The i386virt BSP and score templates at work: the clock driver starts the
 * virtual timer, the event entry counts expiries, the masked/pending protocol
 * holds events back while virtual interrupts are disabled, the idle wait
 * returns on an event, and two contexts are switched from the event epilogue
 * by _CPU_Context_switch (preemption, as RTEMS dispatches on interrupt return).
 */
#include "rt.h"

typedef struct {
  uint32_t eflags, esp, ebp, ebx, esi, edi;
} Context_Control;

void _CPU_Context_switch(Context_Control *run, Context_Control *heir);
#if defined(TICKER_SPLIT)
/* built from a patched tree: the interrupt functions the score split generated (split.c) */
unsigned int i386_disable_interrupts_impl(void);
void i386_enable_interrupts_impl(unsigned int level);
#define isr_disable() i386_disable_interrupts_impl()
#define isr_enable(l) i386_enable_interrupts_impl(l)
#else
/* built from templates/ alone: the hypervisor interface that split.c is written on */
#define isr_disable() virt_irq_disable()
#define isr_enable(l) virt_irq_restore(l)
#endif
typedef void (*BSP_output_char_function_type)(char c);
extern BSP_output_char_function_type BSP_output_char;

static Context_Control main_ctx, ctx[2];
static uint32_t stacks[2][1024];
static volatile uint32_t ticks, switches, count[2], seen[2];
static volatile int current = -1, running;

static void say(const char *s)
{
  while (*s)
    (*BSP_output_char)(*s++);
}

static void tick(void)
{
  ++ticks;
}

static void epilogue(void)
{
  int from, to;
  if (!running || current < 0)
    return;
  from = current;
  /* a context is preempted only once it ran: under a loaded host the timer's expiries can
     arrive in bursts, and each would otherwise switch away before the context did anything */
  if (count[from] == seen[from])
    return;
  seen[from] = count[from];
  if (switches >= 39) {
    running = 0;
    current = -1;
    _CPU_Context_switch(&ctx[from], &main_ctx);
    return;
  }
  to = 1 - from;
  current = to;
  ++switches;
  _CPU_Context_switch(&ctx[from], &ctx[to]);
}

static void thread(void)
{
  for (;;)
    ++count[current];
}

static void context_init(Context_Control *c, uint32_t *stack_top, void (*entry)(void))
{
  stack_top -= 4;
  stack_top[0] = (uint32_t) entry;
  c->esp = (uint32_t) stack_top;
  c->ebp = 0;
  c->eflags = 0x200; /* virtually enabled */
}

int test_main(const char *cmdline)
{
  uint32_t level, before, held, period;
  (void) cmdline;

  rt_begin("TICKER");
  /* The guest starts with virtual interrupts disabled (like a CPU after reset). */
  if (virt_irq_level() != 1) {
    say("TICKER FAILED: initial level\n");
    return 1;
  }
  virt_irq_enable();
  virt_event_epilogue = epilogue;
  period = virt_clock_start(1000, tick);
  say("period us: "); rt_put_u32(period); say("\n");

  /* Disabled: the timer keeps counting in the shared page, nothing is delivered. */
  level = isr_disable();
  before = virt_event_count;
  {
    uint32_t start = virt_vcpu->timer_ticks;
    while (virt_vcpu->timer_ticks - start < 3)
      ;
  }
  held = virt_event_count - before;
  say("pending while disabled: "); rt_put_u32(virt_vcpu->irq_pending); say("\n");
  say("level while disabled: "); rt_put_u32(virt_irq_level()); say("\n");
  isr_enable(level);
  say("delivered while disabled: "); rt_put_u32(held); say("\n");
  say("delivered after enable: "); rt_put_u32(virt_event_count - before); say("\n");
  if (held != 0 || virt_event_count - before == 0 || level != 0) {
    say("TICKER FAILED: mask/pending\n");
    return 1;
  }

  /* Idle: waiting for an event returns once one was delivered. */
  before = virt_event_count;
  virt_wait_for_event();
  say("events during wait: "); rt_put_u32(virt_event_count - before); say("\n");
  if (virt_event_count == before) {
    say("TICKER FAILED: wait for event\n");
    return 1;
  }

  /* Two contexts, preempted by the virtual timer. */
  context_init(&ctx[0], &stacks[0][1024], thread);
  context_init(&ctx[1], &stacks[1][1024], thread);
  ticks = 0;
  running = 1;
  current = 0;
  _CPU_Context_switch(&main_ctx, &ctx[0]);
  virt_clock_stop();

  say("ticks: "); rt_put_u32(ticks);
  say(" switches: "); rt_put_u32(switches);
  say(" a: "); rt_put_u32(count[0] != 0);
  say(" b: "); rt_put_u32(count[1] != 0); say("\n");
  if (ticks < switches || switches < 39 || count[0] == 0 || count[1] == 0) {
    say("TICKER FAILED: contexts\n");
    return 1;
  }
  rt_end("TICKER");
  return 0;
}
