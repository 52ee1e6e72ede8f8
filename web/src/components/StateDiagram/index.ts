export { StateDiagram } from './StateDiagram';
