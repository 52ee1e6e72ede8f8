/**
 * The store layer: state (`store.ts`), module-level actions (`actions.ts`), selectors
 * (`selectors.ts`), the fold over frames (`model.ts`), the scenario library (`scenarios.ts`)
 * and the hover channel (`hover.ts`). Components import from here only.
 */
export * from './store';
export * from './actions';
export * from './selectors';
export * from './hover';
export { LANES, LANE_LABELS, waitingLane } from './model';
export type { FrameModel, Lane, OverflowEntry, ReqStateName, ReqTrack } from './model';
export { LIBRARY, libraryEntry } from './scenarios';
export type { LibraryEntry } from './scenarios';
export type { Frame, ReqView, RingFrame, RingBytes } from '../sim/frame';
export type { StateChange, TraceEvent } from '../wasm/decode';
export type { Op, Scenario } from '../scenario/format';
export {
  DRIVERS,
  DRIVER_CMD_OPS,
  ENOTMODELLED,
  IORING_OP_LINK_TIMEOUT,
  IORING_OP_POLL_ADD,
  IORING_OP_READ,
  IORING_OP_TIMEOUT,
  IORING_OP_URING_CMD,
  IORING_SQ_NEED_WAKEUP,
  OPCODES_MODELLED,
  OPCODES_NOT_MODELLED,
} from '../wasm/abi.generated';
export { SETUP_FLAG_NAMES, SQE_FLAG_NAMES } from '../scenario/validate';
export { emptyScenario } from '../sim/controller';
export type { BranchInfo, Schedule } from '../sim/controller';
export type { BytesSpec, DeviceSpec, SqeSpec } from '../scenario/format';
export * from './permalinks';
export * from './presenter';
export { comparisons, diffRows, runComparison, SUMMARY_FIELDS, otherGeneration } from './review';
export type { Comparison, ReqSummary, ReviewSide } from './review';
export { answer, reveal, setQuiz, revealedHere } from './quiz';
export type { QuizState } from './quiz';
