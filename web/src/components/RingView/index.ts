export { RingView } from './RingView';
export type { RingSlot, RingViewProps } from './RingView';
