export { CodeView } from './CodeView';
