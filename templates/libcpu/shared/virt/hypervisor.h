/**
 * @file
 *
 * @brief The hypervisor interface of the paravirtualized <arch>virt BSPs.
 *
 * This header is the one source of truth for the interface between an
 * RTEMS guest built for an <arch>virt BSP and the hypervisor that runs it.
 * It is installed into an RTEMS tree as
 * c/src/lib/libcpu/shared/virt/hypervisor.h and the bundled monitor of
 * rtems-virt-config is compiled against the very same file.
 *
 * The interface is architecture independent: call numbers, argument
 * meaning, result codes and the layout of the page the guest shares with
 * the hypervisor.  How a call is made (trap instruction, registers) is an
 * architecture binding; the i386, PowerPC, SPARC and ARM bindings follow
 * the structures below, and the call itself is implemented by the
 * <arch>virt CPU model in libcpu.
 *
 * The hot path never traps: interrupt disable, enable and the level are
 * a byte in the shared page (like Xen's evtchn_upcall_mask and
 * evtchn_upcall_pending, or the L4Re vCPU state).  Only enabling while an
 * event is pending calls the hypervisor.
 *
 * See docs/hypervisor-interface.md in rtems-virt-config.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifndef LIBCPU_SHARED_VIRT_HYPERVISOR_H
#define LIBCPU_SHARED_VIRT_HYPERVISOR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Version of this interface; the start information carries it. */
#define VIRT_INTERFACE_VERSION 1u

/** @brief Value of the start information's magic field ("VIRT"). */
#define VIRT_START_MAGIC 0x56495254u

/**
 * @name Call numbers
 *
 * Each call takes up to three word-sized arguments and returns one signed
 * word: zero or a positive value on success, a negative VIRT_E_* code on
 * failure.
 *
 * @{
 */

/** @brief Write arg0 = address, arg1 = length bytes to the console. */
#define VIRT_CALL_CONSOLE_WRITE    1u
/**
 * @brief Wait for an event.  Returns at once when an event is pending,
 * otherwise the virtual CPU sleeps until one arrives.  The call does not
 * change the virtual interrupt mask; with the mask clear the event is
 * delivered to the entry point before the call returns.
 */
#define VIRT_CALL_WAIT_FOR_EVENT   2u
/**
 * @brief Deliver pending events now.  A guest makes this call only after it
 * cleared the mask byte and found the pending byte set.
 */
#define VIRT_CALL_IRQ_DELIVER      3u
/**
 * @brief Register the virtual interrupt entry point: arg0 = address.
 * Zero unregisters it (events then stay pending).
 */
#define VIRT_CALL_SET_ENTRY        4u
/**
 * @brief Start the periodic virtual timer: arg0 = period in microseconds
 * (zero stops it).  Returns the period actually programmed, in
 * microseconds.  Each expiry sets VIRT_EVENT_TIMER.
 */
#define VIRT_CALL_TIMER_PERIODIC   5u
/**
 * @brief Request a hardware resource: arg0 = VIRT_RESOURCE_*, arg1 = first
 * unit (port, interrupt line, physical address), arg2 = count.  Clock,
 * timer and interrupt controller resources are always refused with
 * VIRT_E_DENIED: the hypervisor owns them and offers the virtual timer.
 */
#define VIRT_CALL_REQUEST_RESOURCE 6u
/** @brief Stop the guest: arg0 = exit status.  Does not return. */
#define VIRT_CALL_EXIT             7u
/**
 * @brief Return from the virtual interrupt entry point: restores the
 * interrupted context from the delivery frame and clears the mask (see
 * the architecture binding for the frame).
 */
#define VIRT_CALL_IRQ_RETURN       8u

/** @} */

/** @name Result codes @{ */
#define VIRT_OK        0
#define VIRT_E_INVAL  (-1)  /**< bad argument */
#define VIRT_E_DENIED (-2)  /**< resource refused */
#define VIRT_E_NOSYS  (-3)  /**< call or resource kind not implemented */
#define VIRT_E_BUSY   (-4)  /**< resource already granted */
/** @} */

/** @name Resource kinds for VIRT_CALL_REQUEST_RESOURCE @{ */
#define VIRT_RESOURCE_IO_PORTS 1u  /**< I/O port range (architectures with ports) */
#define VIRT_RESOURCE_IRQ      2u  /**< a physical interrupt line */
#define VIRT_RESOURCE_MEMORY   3u  /**< a physical memory range (MMIO) */
/** @} */

/** @name Event bits in virt_vcpu_state.pending_events @{ */
#define VIRT_EVENT_TIMER  (1u << 0)  /**< the periodic virtual timer expired */
#define VIRT_EVENT_DEVICE(line) (1u << (1u + (line)))  /**< a granted interrupt line */
/** @} */

/**
 * @brief The state the guest shares with the hypervisor (one per virtual
 * CPU).  The guest reads and writes irq_mask; the hypervisor sets
 * irq_pending and pending_events; the guest consumes pending_events with
 * an atomic exchange.
 */
typedef struct {
  /** Non-zero: events are not delivered (virtual interrupts disabled). */
  volatile uint8_t irq_mask;
  /** Non-zero: at least one event is pending delivery. */
  volatile uint8_t irq_pending;
  uint8_t reserved0[2];
  /** VIRT_EVENT_* bits not yet consumed by the guest. */
  volatile uint32_t pending_events;
  /** Number of virtual timer expiries since the timer was started. */
  volatile uint32_t timer_ticks;
  /** Timer period in microseconds (zero: stopped). */
  volatile uint32_t timer_period_us;
} virt_vcpu_state;

/**
 * @brief What the guest finds at entry (its address is passed in the
 * start register of the architecture binding).
 */
typedef struct {
  uint32_t magic;            /**< VIRT_START_MAGIC */
  uint32_t version;          /**< VIRT_INTERFACE_VERSION */
  uint32_t vcpu;             /**< address of the virt_vcpu_state */
  uint32_t ram_begin;        /**< first byte of guest RAM */
  uint32_t ram_end;          /**< one past the last byte of guest RAM */
  uint32_t image_end;        /**< one past the loaded image (free RAM starts here) */
  char cmdline[64];          /**< NUL-terminated command line */
} virt_start_info;

/*
 * The i386 binding.
 *
 * The guest runs in ring 3 with flat segments.  A call is "int $0x80"
 * (an interrupt gate with DPL 3) with the call number in %eax and the
 * arguments in %ebx, %ecx, %edx; the result comes back in %eax and every
 * other register is preserved.  At entry %eax holds VIRT_START_MAGIC,
 * %ebx the address of the virt_start_info and %esp the end of guest RAM.
 *
 * Delivery of an event: when irq_pending is set while irq_mask is clear
 * and an entry point is registered, the hypervisor pushes on the guest
 * stack the interrupted %eflags (arithmetic flags only) and %eip, in
 * that order, sets irq_mask, clears irq_pending and continues the guest at
 * the entry point with every other register as it was.  The entry point
 * saves what it uses, consumes pending_events, and finally pushes %eax,
 * loads VIRT_CALL_IRQ_RETURN into %eax and executes "int $0x80": the
 * hypervisor pops %eax, %eip and %eflags, clears irq_mask and, if
 * another event is pending, delivers it at once.
 */
#define VIRT_I386_CALL_VECTOR   0x80u
#define VIRT_I386_GUEST_RAM_BEGIN 0x00400000u  /**< where guest images are linked */

/*
 * The PowerPC binding (32-bit, big endian, SysV/EABI calling convention).
 *
 * The guest runs in problem state (MSR[PR] = 1).  The hypervisor owns
 * MSR[EE], the exception vectors, the MMU and the decrementer; it keeps
 * MSR[FP] set, so a guest built with a hardware FPU uses the floating
 * point registers without enabling them.  A call is "sc" with the call
 * number in r3 and the arguments in r4, r5, r6 (the registers of the
 * first four C arguments, so virt_call() is "sc; blr"); the result comes
 * back in r3.  Every other register (r0, r1, r2, r4-r31, LR, CTR, XER,
 * the FPRs and FPSCR) is preserved; CR0 is undefined after the call.  At
 * entry r3 holds VIRT_START_MAGIC, r4 the address of the virt_start_info
 * and r1 the end of guest RAM minus 16 (16-byte aligned, back chain 0).
 *
 * Delivery of an event: when irq_pending is set while irq_mask is clear
 * and an entry point is registered, the hypervisor builds a delivery
 * frame of VIRT_PPC_FRAME_SIZE bytes at (interrupted r1 -
 * VIRT_PPC_FRAME_SIZE) rounded down to 16: the back chain (interrupted
 * r1) at offset 0, a word left free for the entry's callees to save LR at
 * offset 4, the interrupted PC at VIRT_PPC_FRAME_PC, CR at
 * VIRT_PPC_FRAME_CR and r3 at VIRT_PPC_FRAME_R3.  It sets irq_mask,
 * clears irq_pending and continues at the entry point with r1 = the frame
 * and every register except r1 and r3 as interrupted.  The entry point
 * saves the other registers it changes (r0, r4-r12, LR, CTR, XER),
 * consumes pending_events and, with r1 back at the frame, executes "sc"
 * with r3 = VIRT_CALL_IRQ_RETURN: the hypervisor reloads PC, CR and r3
 * from the frame and r1 from its back chain, clears irq_mask and, if
 * another event is pending, delivers it at once.  The volatile FPRs are
 * not part of the frame: event handlers do not use floating point.
 */
#define VIRT_PPC_GUEST_RAM_BEGIN 0x00100000u  /**< where guest images are linked (below: the hypervisor's vectors) */
#define VIRT_PPC_FRAME_SIZE      32u          /**< size of the delivery frame */
#define VIRT_PPC_FRAME_BACKCHAIN 0u           /**< interrupted r1 */
#define VIRT_PPC_FRAME_LR_SAVE   4u           /**< free for the entry's callees (ABI LR save word) */
#define VIRT_PPC_FRAME_PC        8u           /**< interrupted program counter */
#define VIRT_PPC_FRAME_CR        12u          /**< interrupted condition register */
#define VIRT_PPC_FRAME_R3        16u          /**< interrupted r3 */

/*
 * The SPARC binding (V8, 32-bit, big endian, SPARC ABI).
 *
 * The guest runs in user state (PSR.S = 0) with traps enabled.  The
 * hypervisor owns the real PSR (PIL, ET, S, CWP), %wim, %tbr and the trap
 * table; it keeps PSR.EF set when there is an FPU (the EF bit a guest
 * stores in a context is ignored).  A call is the software trap
 * "ta VIRT_SPARC_CALL_TRAP" (trap type 0x80 + 0x70 = 0xf0; the 4.11
 * score and BSPs use "ta" 0, 3, 9, 10 and 0x10) with the call number in
 * %o0 and the arguments in %o1, %o2, %o3 (the registers of the first four
 * C arguments, so virt_call() is "ta 0x70; retl; nop"); the result comes
 * back in %o0.  Every other register, the window (CWP), %y and the
 * integer condition codes are preserved, and the guest continues after
 * the "ta".
 *
 * Register windows belong to the hypervisor: it handles window overflow
 * and underflow (spilling a window's locals and ins to the 64 bytes at
 * that window's %sp and filling them from there, as the ABI says) and the
 * flush-windows trap "ta 3" (ST_FLUSH_WINDOWS): after it every window but
 * the current one is in memory and the next "restore" underflows; all
 * registers are preserved.  A context switch is therefore "ta 3", then
 * loads and stores.
 *
 * Compatibility with the unchanged 4.11 score (sparc_disable_interrupts,
 * sparc_enable_interrupts, sparc_syscall_exit): "ta 9" sets irq_mask and
 * returns in %g1 the virtual PSR (PIL 15 when irq_mask was set, else 0;
 * S and ET set); "ta 10" clears irq_mask when the PIL field of %g1 is 0
 * (delivering a pending event) and sets it otherwise; "ta 0" with %g1 = 1
 * is VIRT_CALL_EXIT with the status in %g2.  These trap on every use; the
 * sparcvirt templates use the shared page instead.  Any other trap is
 * fatal.
 *
 * At entry %o0 holds VIRT_START_MAGIC, %o1 the address of the
 * virt_start_info and %sp the end of guest RAM minus a VIRT_SPARC_FRAME
 * (96-byte) minimal frame, 8-byte aligned; %fp is 0, the current window
 * is the only valid one and irq_mask is set.  Images are linked at
 * VIRT_SPARC_GUEST_RAM_BEGIN, where LEON boards have their RAM.
 *
 * Delivery of an event: when irq_pending is set while irq_mask is clear
 * and an entry point is registered, the hypervisor does what a hardware
 * trap would do, in user state: it moves the guest to the next window as
 * "save" would (handling the overflow), so that the entry's %i0-%i7 are
 * the interrupted %o0-%o7 (%fp = the interrupted %sp), and puts the
 * delivery frame in the new window's locals: %l0 = the interrupted PSR
 * (only the integer condition codes, bits 20-23, are meaningful), %l1 =
 * the interrupted PC, %l2 = the interrupted nPC.  It sets irq_mask,
 * clears irq_pending and continues at the entry point (nPC = entry + 4)
 * with the globals, %y and the FPU as interrupted.  The entry's %sp is
 * undefined: its first instruction makes a frame of at least
 * VIRT_SPARC_FRAME bytes below %fp (nothing lives below a SPARC %sp),
 * before anything can spill its window.  It keeps %l0-%l2 and its ins,
 * saves the globals and %y its callees may change (%g1-%g4, %y),
 * consumes pending_events and, from the same window, executes
 * "ta VIRT_SPARC_CALL_TRAP" with %o0 = VIRT_CALL_IRQ_RETURN: the
 * hypervisor sets the condition codes from %l0, does what "restore"
 * would (handling the underflow), continues at %l1 with nPC = %l2,
 * clears irq_mask and, if another event is pending, delivers it at once.
 * A thread switch inside the entry is allowed: its window is flushed to
 * the frame below the interrupted %sp and filled again when the thread
 * runs.  Event handlers do not use floating point.
 */
#define VIRT_SPARC_CALL_TRAP       0x70u        /**< "ta 0x70": a call (trap type 0xf0) */
#define VIRT_SPARC_FLUSH_TRAP      0x03u        /**< "ta 3": flush windows (ST_FLUSH_WINDOWS) */
#define VIRT_SPARC_GUEST_RAM_BEGIN 0x40000000u  /**< where guest images are linked (LEON RAM) */
#define VIRT_SPARC_FRAME           96u          /**< minimal ABI frame: 64-byte window save area + 32 */

/*
 * The ARM binding (ARMv7-A, A/R profile, 32-bit, little endian, AAPCS).
 *
 * The guest runs in User mode.  The hypervisor owns the CPSR's mode, A,
 * I and F bits, the exception vectors, the system control coprocessor
 * (p15: MMU, caches, TPIDRURO, ...) and the timers; when the core has
 * VFP/Advanced SIMD it enables them (CPACR, FPEXC.EN), so a hard-float
 * guest uses them without a privileged write (FPSCR is a User mode
 * register).  A call is "svc #VIRT_ARM_SVC_IMM" (ARM or Thumb encoding)
 * with the call number in r0 and the arguments in r1, r2, r3 (the
 * registers of the first four C arguments, so virt_call() is
 * "svc #0x56; bx lr"); the result comes back in r0.  Every other
 * register, the condition flags and the VFP registers are preserved and
 * the guest continues after the svc.  Any other svc immediate is fatal.
 *
 * At entry r0 holds VIRT_START_MAGIC, r1 the address of the
 * virt_start_info and sp the end of guest RAM (8-byte aligned); the
 * guest is in ARM state and irq_mask is set.  Images are linked at
 * VIRT_ARM_GUEST_RAM_BEGIN (the RAM base of QEMU's "virt" machine).
 *
 * The guest cannot write TPIDRURO (the thread pointer that -mtp=cp15
 * code reads): an armvirt guest is built with -mtp=soft, so thread-local
 * accesses call __aeabi_read_tp(), and the context switch keeps the
 * thread pointer in memory (virt_arm_thread_id).
 *
 * Delivery of an event: when irq_pending is set while irq_mask is clear
 * and an entry point is registered, the hypervisor builds a delivery
 * frame of VIRT_ARM_FRAME_SIZE bytes at (interrupted sp -
 * VIRT_ARM_FRAME_SIZE) rounded down to 8: the interrupted r0 at
 * VIRT_ARM_FRAME_R0, sp at VIRT_ARM_FRAME_SP, pc (the address of the
 * next instruction to execute) at VIRT_ARM_FRAME_PC and CPSR at
 * VIRT_ARM_FRAME_CPSR (only the bits a User mode guest owns are
 * meaningful: N, Z, C, V, Q, IT, GE, E and T).  It sets irq_mask, clears
 * irq_pending and continues at the entry point in ARM state with sp =
 * the frame and every other register (r1-r12, lr, the flags, VFP) as
 * interrupted.  The entry point saves the registers it changes (r1-r3,
 * r12, lr, and the flags if it needs them), consumes pending_events and,
 * with sp back at the frame, executes the call with r0 =
 * VIRT_CALL_IRQ_RETURN: the hypervisor reloads r0, sp, pc and the CPSR
 * bits above from the frame, clears irq_mask and, if another event is
 * pending, delivers it at once.  Event handlers do not use floating
 * point: the VFP registers are not part of the frame.
 */
#define VIRT_ARM_SVC_IMM         0x56u        /**< "svc #0x56": a call */
#define VIRT_ARM_GUEST_RAM_BEGIN 0x40000000u  /**< where guest images are linked (QEMU virt RAM) */
#define VIRT_ARM_FRAME_SIZE      16u          /**< size of the delivery frame (8-byte multiple) */
#define VIRT_ARM_FRAME_R0        0u           /**< interrupted r0 */
#define VIRT_ARM_FRAME_SP        4u           /**< interrupted sp */
#define VIRT_ARM_FRAME_PC        8u           /**< interrupted pc (next instruction) */
#define VIRT_ARM_FRAME_CPSR      12u          /**< interrupted CPSR (User mode bits) */

#ifndef VIRT_HYPERVISOR_SIDE

/**
 * @brief Make a call; implemented by the <arch>virt CPU model
 * (libcpu/<arch>/<arch>virt/score).
 */
extern long virt_call(uint32_t nr, uint32_t arg0, uint32_t arg1, uint32_t arg2);

/** @brief The virtual CPU state; set by the BSP start code from the start information. */
extern virt_vcpu_state *virt_vcpu;

/** @brief Disable virtual interrupts; returns the previous level (0 or 1). */
static inline uint32_t virt_irq_disable(void)
{
  uint32_t level = virt_vcpu->irq_mask;
  virt_vcpu->irq_mask = 1;
  __asm__ volatile ("" ::: "memory");
  return level;
}

/** @brief Enable virtual interrupts; calls the hypervisor only when an event is pending. */
static inline void virt_irq_enable(void)
{
  __asm__ volatile ("" ::: "memory");
  virt_vcpu->irq_mask = 0;
  __asm__ volatile ("" ::: "memory");
  if (virt_vcpu->irq_pending)
    (void) virt_call(VIRT_CALL_IRQ_DELIVER, 0, 0, 0);
}

/** @brief Restore the level that virt_irq_disable() returned. */
static inline void virt_irq_restore(uint32_t level)
{
  if (level == 0)
    virt_irq_enable();
  else {
    __asm__ volatile ("" ::: "memory");
    virt_vcpu->irq_mask = 1;
  }
}

/** @brief The current level: 1 disabled, 0 enabled. */
static inline uint32_t virt_irq_level(void)
{
  return virt_vcpu->irq_mask != 0;
}

/** @brief Let one pending event in and disable again (an ISR flash). */
static inline void virt_irq_flash(uint32_t level)
{
  virt_irq_restore(level);
  (void) virt_irq_disable();
}

static inline long virt_console_write(const char *buf, uint32_t len)
{
  return virt_call(VIRT_CALL_CONSOLE_WRITE, (uint32_t) (uintptr_t) buf, len, 0);
}

static inline void virt_wait_for_event(void)
{
  (void) virt_call(VIRT_CALL_WAIT_FOR_EVENT, 0, 0, 0);
}

static inline long virt_set_entry(void (*entry)(void))
{
  return virt_call(VIRT_CALL_SET_ENTRY, (uint32_t) (uintptr_t) entry, 0, 0);
}

static inline long virt_timer_periodic(uint32_t period_us)
{
  return virt_call(VIRT_CALL_TIMER_PERIODIC, period_us, 0, 0);
}

static inline long virt_request_resource(uint32_t kind, uint32_t first, uint32_t count)
{
  return virt_call(VIRT_CALL_REQUEST_RESOURCE, kind, first, count);
}

/** @brief Take the pending events (atomically) and return them. */
static inline uint32_t virt_take_events(void)
{
  return __atomic_exchange_n(&virt_vcpu->pending_events, 0u, __ATOMIC_SEQ_CST);
}

static inline __attribute__((noreturn)) void virt_exit(uint32_t status)
{
  for (;;)
    (void) virt_call(VIRT_CALL_EXIT, status, 0, 0);
}

/**
 * @brief Stop the guest because it needed something the <arch>virt model
 * does not provide yet: writes "fatal: not available under the hypervisor:
 * <what>" to the console and exits with status 1 (libcpu/shared/virt/virt-fatal.c).
 */
extern void virt_fatal_unsupported(const char *what) __attribute__((noreturn));

#endif /* VIRT_HYPERVISOR_SIDE */

#ifdef __cplusplus
}
#endif

#endif /* LIBCPU_SHARED_VIRT_HYPERVISOR_H */
