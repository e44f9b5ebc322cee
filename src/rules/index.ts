/**
 * The rulebook, in the order of product.md. Each rule is its own module
 * (`src/rules/<id>.ts`) with its metadata; this list only collects them.
 */
import type { Rule } from '../check/types.js';
import scoreCpuIsGccTarget from './score-cpu-is-gcc-target.js';
import virtBspLocation from './virt-bsp-location.js';
import virtBspNaming from './virt-bsp-naming.js';
import virtCpuModel from './virt-cpu-model.js';
import noEnableVirtFlag from './no-enable-virt-flag.js';
import scoreSplitPresent from './score-split-present.js';
import sharedVirtInLibcpuShared from './shared-virt-in-libcpu-shared.js';
import bspRegistered from './bsp-registered.js';
import generatedFilesCurrent from './generated-files-current.js';
import automakeWiring from './automake-wiring.js';
import noVirtIfdefInScoreCpu from './no-virt-ifdef-in-score-cpu.js';
import scoreSplitParity from './score-split-parity.js';
import noPrivilegedInScoreCpu from './no-privileged-in-score-cpu.js';
import noPrivilegedInVirt from './no-privileged-in-virt.js';
import virtIdleWaitsForEvent from './virt-idle-waits-for-event.js';
import noClockPassthrough from './no-clock-passthrough.js';

export const allRules: readonly Rule[] = [
  scoreCpuIsGccTarget,
  noVirtIfdefInScoreCpu,
  virtBspLocation,
  virtBspNaming,
  virtCpuModel,
  noEnableVirtFlag,
  scoreSplitPresent,
  scoreSplitParity,
  noPrivilegedInScoreCpu,
  noPrivilegedInVirt,
  virtIdleWaitsForEvent,
  noClockPassthrough,
  sharedVirtInLibcpuShared,
  bspRegistered,
  generatedFilesCurrent,
  automakeWiring,
];
