export { HeraldError, isHeraldError, hasErrorCode } from './herald-error';
export type { HeraldErrorContext } from './herald-error';
export { errorCatalogue } from './codes';
export type { ErrorCode, ErrorCodeInfo } from './codes';
