export { EventLog } from './EventLog';
