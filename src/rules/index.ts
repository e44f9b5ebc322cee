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

export const allRules: readonly Rule[] = [
  scoreCpuIsGccTarget,
  virtBspLocation,
  virtBspNaming,
  virtCpuModel,
  noEnableVirtFlag,
  scoreSplitPresent,
  sharedVirtInLibcpuShared,
  bspRegistered,
  generatedFilesCurrent,
  automakeWiring,
];
