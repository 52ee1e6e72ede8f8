export { RingView } from './RingView';
