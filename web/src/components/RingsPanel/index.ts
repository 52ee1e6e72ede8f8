export { RingsPanel } from './RingsPanel';
