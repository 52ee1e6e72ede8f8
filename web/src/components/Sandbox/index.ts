export { Sandbox } from './Sandbox';
