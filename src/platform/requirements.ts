/**
 * The globals the portable core (src/index.ts) needs beyond ECMAScript, in one place.
 *
 * Everything else the core once took from the platform is done in JavaScript here: flow ids
 * from crypto.getRandomValues (not randomUUID), X25519 with @noble/curves (not WebCrypto),
 * base64 and strict UTF-8 decoding in src/format and src/text (not btoa or TextDecoder's
 * `fatal`), and age files read from their streams (not `new Response(stream)`).
 *
 * What is left is needed by age-encryption (typage), which the record format is built on:
 * its payload is a ReadableStream piped through TransformStreams, and it reads header lines
 * with TextDecoder and encodes labels with TextEncoder; @noble's randomBytes uses
 * crypto.getRandomValues.
 *
 * Hermes with React Native >= 0.74 has TextEncoder; it has no crypto, no TextDecoder and no
 * web streams (see README, "React Native and browsers", and test/platform/hermes-globals.test.ts).
 */
import { EnvironmentError } from './environment-error.ts';

export interface PlatformRequirement {
  /** The global as code names it. */
  readonly global: string;
  /** The npm package a React Native app installs (and imports first) to provide it. */
  readonly polyfill: string;
  readonly present: (scope: typeof globalThis) => boolean;
}

type Scope = Record<string, unknown>;
const isFunction = (scope: typeof globalThis, name: string) => typeof (scope as unknown as Scope)[name] === 'function';

export const PLATFORM_REQUIREMENTS: readonly PlatformRequirement[] = [
  {
    global: 'crypto.getRandomValues',
    polyfill: 'react-native-get-random-values',
    present: (scope) => typeof (scope as unknown as { crypto?: { getRandomValues?: unknown } }).crypto?.getRandomValues === 'function',
  },
  { global: 'TextEncoder', polyfill: 'fast-text-encoding', present: (scope) => isFunction(scope, 'TextEncoder') },
  { global: 'TextDecoder', polyfill: 'fast-text-encoding', present: (scope) => isFunction(scope, 'TextDecoder') },
  { global: 'ReadableStream', polyfill: 'web-streams-polyfill', present: (scope) => isFunction(scope, 'ReadableStream') },
  { global: 'TransformStream', polyfill: 'web-streams-polyfill', present: (scope) => isFunction(scope, 'TransformStream') },
];

/** The requirements this scope does not meet (none on Node, browsers, or React Native with the README's polyfills). */
export function missingGlobals(scope: typeof globalThis = globalThis): PlatformRequirement[] {
  return PLATFORM_REQUIREMENTS.filter((requirement) => !requirement.present(scope));
}

export function missingGlobalsError(missing: readonly PlatformRequirement[], cause?: unknown): EnvironmentError {
  const names = missing.map((requirement) => requirement.global);
  const packages = [...new Set(missing.map((requirement) => requirement.polyfill))];
  return new EnvironmentError(
    names,
    `This JavaScript environment lacks ${names.join(', ')}, which the wallet backup engine needs. ` +
      `Install and import first (before the engine) the polyfill package${packages.length > 1 ? 's' : ''} ${packages.join(', ')}.`,
    cause === undefined ? undefined : { cause },
  );
}

/** Throws EnvironmentError naming every missing global and its polyfill package. */
export function assertPlatform(scope: typeof globalThis = globalThis): void {
  const missing = missingGlobals(scope);
  if (missing.length > 0) throw missingGlobalsError(missing);
}

/**
 * For catch blocks around calls into the platform or into libraries that use it: a
 * ReferenceError, or any error while a required global is missing (a global removed after the
 * engine was created), becomes an EnvironmentError naming it. Returns null for other errors,
 * which the caller maps or rethrows as before.
 */
export function environmentFault(error: unknown, scope: typeof globalThis = globalThis): EnvironmentError | null {
  if (error instanceof EnvironmentError) return error;
  const missing = missingGlobals(scope);
  if (missing.length > 0) return missingGlobalsError(missing, error);
  if (error instanceof ReferenceError) {
    return new EnvironmentError([], `A global this JavaScript environment lacks was used: ${error.message}`, { cause: error });
  }
  return null;
}
