export { BytesView, pduFields, PROV_LABELS } from './BytesView';
export type { Prov, Region } from './BytesView';
