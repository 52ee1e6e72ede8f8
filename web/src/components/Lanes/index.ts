export { Lanes, LANE_WINDOW } from './Lanes';
