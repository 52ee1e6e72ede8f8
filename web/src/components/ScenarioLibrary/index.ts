export { ScenarioLibrary } from './ScenarioLibrary';
