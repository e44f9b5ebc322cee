/**
 * @file
 *
 * @brief Timing test 27 support for the <arch>virt BSPs: not available.
 *
 * tm27 needs an interrupt the test can raise on demand; a paravirtualized
 * guest has only the virtual timer, so the test does not wait for one.
 */

/*
 * Copyright (c) 2026 The rtems-virt-config authors.
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifndef _RTEMS_TMTEST27
#error "This is an RTEMS internal file you must not include directly."
#endif

#ifndef __tm27_h
#define __tm27_h

#define MUST_WAIT_FOR_INTERRUPT 0

#define Install_tm27_vector( handler ) /* no interrupt to install */

#define Cause_tm27_intr()  /* none */

#define Clear_tm27_intr()  /* none */

#define Lower_tm27_intr()  /* empty */

#endif
