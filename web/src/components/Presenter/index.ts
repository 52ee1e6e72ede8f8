export { PresenterOverlay } from './PresenterOverlay';
