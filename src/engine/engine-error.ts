/**
 * Errors of the engine's own API (not of a flow): a provider with no drive, input a flow
 * cannot take now, a log that another writer changed under a flow.
 */
export type EngineErrorCode =
  | 'provider-not-configured'
  | 'unexpected-input'
  | 'unexpected-outcome'
  | 'unknown-effect'
  | 'flow-finished'
  | 'log-conflict'
  | 'bad-input';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}
