/**
 * @file
 *
 * @brief powerpcvirt SuperCore support: CPU initialization and the
 * initial thread context.
 *
 * The paravirtualized counterparts of the native model's
 * libcpu/powerpc/new-exceptions/cpu.c, which the powerpcvirt model does
 * not build: _CPU_Initialize() and _CPU_Context_Initialize().  The
 * initial context holds the *virtual* interrupt level in the MSR slot, in
 * MSR form (MSR[EE] set: enabled), which is what cpu_asm.S restores; the
 * real MSR is never read.  Also here, as weak definitions a BSP may
 * replace: _BSP_Fatal_error() (the _CPU_Fatal_halt() of the 4.11
 * PowerPC cpu.h) and _CPU_Exception_frame_print() (native: the
 * new-exceptions bspsupport; here exceptions never reach the guest, the
 * hypervisor stops it and prints its registers).
 *
 * _CPU_ISR_install_vector() stays in cpukit (score/cpu/powerpc), and the
 * idle body and virt_vcpu come from libcpu/shared/virt/virt-cpu.c.
 *
 * This file includes no RTEMS header: the prototypes are written with
 * plain types of the same ABI, each with the RTEMS prototype it matches.
 * No mfmsr, mtmsr or supervisor SPR here.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include <stddef.h>
#include <stdint.h>
#include <libcpu/virt/hypervisor.h>

#define POWERPCVIRT_MSR_EE           0x8000u  /* MSR[EE]: the virtual level, enabled */
#define POWERPCVIRT_CACHE_LINE_SIZE  32u      /* PPC_DEFAULT_CACHE_LINE_SIZE (not e6500) */
#define POWERPCVIRT_STACK_ALIGNMENT  16u      /* CPU_STACK_ALIGNMENT (PPC_STACK_ALIGNMENT) */
#define POWERPCVIRT_MIN_FRAME        16u      /* PPC_MINIMUM_STACK_FRAME_SIZE */
#define POWERPCVIRT_HEAP_ALIGNMENT   8u       /* CPU_HEAP_ALIGNMENT (PPC_ALIGNMENT) */
#define POWERPCVIRT_TLS_TP_OFFSET    0x7000u  /* the PowerPC TLS ABI: thread pointer = block + 0x7000 */

/*
 * The non-volatile context of the 4.11 PowerPC score (ppc_context in
 * cpukit/score/cpu/powerpc/rtems/score/cpu.h, 4-byte GPRs, no AltiVec,
 * no SMP), found one cache line into the Context_Control byte array.
 * cpu_asm.S uses the same offsets (plus the cache line).
 */
typedef struct {
  uint32_t gpr1;
  uint32_t msr;            /* the virtual level, MSR form */
  uint32_t lr;
  uint32_t cr;
  uint32_t gpr14_31[ 18 ];
  uint32_t gpr2;
} powerpcvirt_context;

_Static_assert( offsetof( powerpcvirt_context, msr ) == 36 - 32, "PPC_CONTEXT_OFFSET_MSR" );
_Static_assert( offsetof( powerpcvirt_context, lr ) == 40 - 32, "PPC_CONTEXT_OFFSET_LR" );
_Static_assert( offsetof( powerpcvirt_context, cr ) == 44 - 32, "PPC_CONTEXT_OFFSET_CR" );
_Static_assert( offsetof( powerpcvirt_context, gpr14_31 ) == 48 - 32, "PPC_CONTEXT_OFFSET_GPR14" );
_Static_assert( offsetof( powerpcvirt_context, gpr2 ) == 120 - 32, "PPC_CONTEXT_OFFSET_GPR2" );

/*
 * TLS (variant I, the thread control block right before the TLS block),
 * laid out in the area cpukit allocated for the thread with
 * _TLS_Get_allocation_size(): the control block area, the block, then
 * the dynamic thread vector.  The symbols come from the linker script.
 */
extern char _TLS_Data_begin[];
extern char _TLS_Data_size[];
extern char _TLS_BSS_begin[];
extern char _TLS_BSS_size[];
extern char _TLS_Size[];
extern char _TLS_Alignment[];

typedef struct {
  uint32_t generation_number;
  void *tls_blocks[ 1 ];
} powerpcvirt_tls_dtv;          /* TLS_Dynamic_thread_vector */

typedef struct {
  powerpcvirt_tls_dtv *dtv;
  uintptr_t reserved;
} powerpcvirt_tls_tcb;          /* TLS_Thread_control_block */

/* void _CPU_Initialize( void ); */
void _CPU_Initialize( void );

/*
 * void _CPU_Context_Initialize( Context_Control *the_context,
 *   uint32_t *stack_base, uint32_t size, uint32_t new_level,
 *   void *entry_point, bool is_fp, void *tls_area );
 */
void _CPU_Context_Initialize(
  void     *the_context,
  uint32_t *stack_base,
  uint32_t  size,
  uint32_t  new_level,
  void     *entry_point,
  _Bool     is_fp,
  void     *tls_area
);

/* void _BSP_Fatal_error( unsigned int ); */
void _BSP_Fatal_error( unsigned int error );

/* void _CPU_Exception_frame_print( const CPU_Exception_frame *frame ); */
void _CPU_Exception_frame_print( const void *frame );

/*
 *  _CPU_Initialize
 *
 *  Nothing to set up: no AltiVec context (refused in cpu_asm.S), and the
 *  connection to the hypervisor (virt_vcpu, the entry point) is made by
 *  the BSP's start code before boot_card().
 */
void _CPU_Initialize( void )
{
}

static powerpcvirt_context *powerpcvirt_get_context( void *the_context )
{
  uintptr_t addr = (uintptr_t) the_context;

  return (powerpcvirt_context *)
    ( ( addr & ~(uintptr_t) ( POWERPCVIRT_CACHE_LINE_SIZE - 1 ) )
      + POWERPCVIRT_CACHE_LINE_SIZE );
}

static uintptr_t powerpcvirt_heap_align_up( uintptr_t value )
{
  uintptr_t mask = POWERPCVIRT_HEAP_ALIGNMENT - 1;

  return ( value + mask ) & ~mask;
}

/* Builds the TLS area of a new thread; returns its thread pointer (r2). */
static uint32_t powerpcvirt_tls_initialize( void *tls_area )
{
  uintptr_t alignment = (uintptr_t) _TLS_Alignment;
  uintptr_t tcb_area = alignment > sizeof( powerpcvirt_tls_tcb ) ?
    alignment : sizeof( powerpcvirt_tls_tcb );
  char *block = (char *) tls_area + tcb_area;
  powerpcvirt_tls_tcb *tcb = (powerpcvirt_tls_tcb *) ( block - sizeof( *tcb ) );
  powerpcvirt_tls_dtv *dtv = (powerpcvirt_tls_dtv *)
    ( block + powerpcvirt_heap_align_up( (uintptr_t) _TLS_Size ) );
  uintptr_t data_size = (uintptr_t) _TLS_Data_size;
  uintptr_t bss_offset = (uintptr_t) _TLS_BSS_begin - (uintptr_t) _TLS_Data_begin;

  tcb->dtv = dtv;
  tcb->reserved = 0;
  dtv->generation_number = 1;
  dtv->tls_blocks[ 0 ] = block;
  __builtin_memcpy( block, _TLS_Data_begin, data_size );
  __builtin_memset( block + bss_offset, 0, (uintptr_t) _TLS_BSS_size );

  return (uint32_t) (uintptr_t) ( block + POWERPCVIRT_TLS_TP_OFFSET );
}

/*
 *  _CPU_Context_Initialize
 *
 *  The stack starts with a minimal frame whose back chain is zero; the
 *  thread starts at entry_point (the LR slot) with the virtual level that
 *  new_level asks for (bit 0 set: disabled).
 */
void _CPU_Context_Initialize(
  void     *the_context,
  uint32_t *stack_base,
  uint32_t  size,
  uint32_t  new_level,
  void     *entry_point,
  _Bool     is_fp,
  void     *tls_area
)
{
  powerpcvirt_context *ctx = powerpcvirt_get_context( the_context );
  uintptr_t sp = (uintptr_t) stack_base + size - POWERPCVIRT_MIN_FRAME;
  uint32_t gpr2;
  size_t i;

  (void) is_fp;  /* the FPU is always on (see the PowerPC binding) */

  sp &= ~(uintptr_t) ( POWERPCVIRT_STACK_ALIGNMENT - 1 );
  *(uint32_t *) sp = 0;

  if ( tls_area != NULL ) {
    gpr2 = powerpcvirt_tls_initialize( tls_area );
  } else {
    __asm__ volatile ( "mr %0, 2" : "=r" ( gpr2 ) );
  }

  ctx->gpr1 = (uint32_t) sp;
  ctx->msr = ( new_level & 1u ) != 0 ? 0 : POWERPCVIRT_MSR_EE;
  ctx->lr = (uint32_t) (uintptr_t) entry_point;
  ctx->cr = 0;
  for ( i = 0; i < sizeof( ctx->gpr14_31 ) / sizeof( ctx->gpr14_31[ 0 ] ); ++i )
    ctx->gpr14_31[ i ] = 0;
  ctx->gpr2 = gpr2;
}

/*
 *  _BSP_Fatal_error
 *
 *  _CPU_Fatal_halt() of the PowerPC score: stop the guest with the error
 *  code as exit status (1 for a zero code, so that it reads as a failure).
 */
__attribute__(( weak )) void _BSP_Fatal_error( unsigned int error )
{
  virt_exit( error != 0 ? error : 1u );
}

/*
 *  _CPU_Exception_frame_print
 *
 *  A powerpcvirt guest never sees an exception frame: a program, alignment
 *  or storage exception stops it in the hypervisor, which prints the
 *  registers itself.
 */
__attribute__(( weak )) void _CPU_Exception_frame_print( const void *frame )
{
  static const char msg[] =
    "powerpcvirt: no exception frames; the hypervisor reports exceptions\n";

  (void) frame;
  (void) virt_console_write( msg, sizeof( msg ) - 1 );
}
