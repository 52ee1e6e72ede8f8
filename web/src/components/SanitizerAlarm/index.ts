export { SanitizerAlarm } from './SanitizerAlarm';
