export { KeyboardHelp, KEYS } from './KeyboardHelp';
