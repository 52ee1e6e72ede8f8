export { SpeakerView } from './SpeakerView';
