// The build-time module vite.config.ts provides (conformance/truth.mjs computes it; its shape is
// KernelTruth in ./truth.ts).
declare module 'virtual:kernel-truth' {
  const truth: unknown;
  export default truth;
}
