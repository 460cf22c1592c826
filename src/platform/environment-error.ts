/**
 * A fault of the platform the core runs on, never of a record, a password or the log: a global
 * the core needs is missing (a React Native app without its polyfills), or a platform call
 * failed in a way no data explains. The message names the global and the package that provides
 * it; it never carries a secret.
 */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
  constructor(
    /** The globals found missing, e.g. ["crypto.getRandomValues", "ReadableStream"]. */
    readonly missing: readonly string[],
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
