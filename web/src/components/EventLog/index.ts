export { EventLog, describeEvent } from './EventLog';
