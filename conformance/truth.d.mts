// Types of conformance/truth.mjs (vite.config.ts builds the app's `virtual:kernel-truth` with it).
import type { KernelTruth } from '../web/src/recording/truth';

export function computeTruth(root?: string): KernelTruth;
