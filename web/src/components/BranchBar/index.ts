export { BranchBar } from './BranchBar';
