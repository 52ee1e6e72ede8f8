// Types of conformance/tracepoint-names.mjs, for the app's recording format.

/** Every io_uring tracepoint Ringside reads and shows (names without `io_uring_`). */
export declare const TRACEPOINT_NAMES: readonly string[];
