export { ModelPage } from './ModelPage';
