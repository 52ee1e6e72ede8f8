export { CodePanel, CodeView } from './CodeView';
