/**
 * rage, the Rust implementation of age, compiled to WebAssembly by the npm package
 * @kanru/rage-wasm: a second age implementation, independent of ours (age-encryption/noble) and
 * of Go's `age`, that npm installs. The interop tests run against it on every machine.
 *
 * The package is written for browsers. In Node it needs a shim of exactly two browser globals,
 * installed by loadRage() before the WebAssembly module is first used (a failed first use leaves
 * the instance unusable: the Rust code panics), in the test process that loads it only (vitest
 * runs each test file in its own fork):
 *
 *  - `self`: the Rust `getrandom` crate inside takes the browser path, `self.crypto.getRandomValues`
 *    (Node's Web Crypto has it), when `self` is defined. Without it, it takes its Node path,
 *    `module.require('crypto')`, and in this bundle `module` is the local WebAssembly.Module
 *    (a bundling bug), so rage fails with "getObject(...).require is not a function".
 *  - `Window`: rage times scrypt (to pick the work factor when encrypting, and to bound it when
 *    decrypting) with web_sys `window().performance().now()`, which first checks
 *    `globalThis instanceof Window`. A Window whose instance check accepts only globalThis lets it
 *    reach Node's own `performance`; without it: "ReferenceError: Window is not defined".
 *
 * `self` is set to globalThis itself; nothing else is replaced or reimplemented. The package has
 * no "main" nor "type" field, so its ES module is imported by file path (vitest transforms it, so
 * this works also on Node versions that do not detect ES module syntax: checked with
 * NODE_OPTIONS=--no-experimental-detect-module).
 */
import type * as RageApi from '@kanru/rage-wasm';
import type { Requirement } from './requirements.ts';

export type Rage = typeof RageApi;

const RAGE_ENTRY = '@kanru/rage-wasm/dist/index.js';

function installBrowserGlobalsShim(): void {
  const g = globalThis as Record<string, unknown>;
  g['self'] ??= globalThis;
  g['Window'] ??= class Window {
    static [Symbol.hasInstance](value: unknown): boolean {
      return value === globalThis;
    }
  };
}

let loading: Promise<{ rage: Rage; requirement: Requirement }> | undefined;

/**
 * Loads rage and proves it works here (an X25519 round trip, which needs its random numbers),
 * or reports why not as a Requirement for requireOrSkip.
 */
export function loadRage(): Promise<{ rage: Rage; requirement: Requirement }> {
  loading ??= (async () => {
    const requirement = (missing: string | undefined): Requirement => ({
      what: 'rage (age in WebAssembly, the npm package @kanru/rage-wasm)',
      missing,
      install: 'npm install (it is a dev dependency: npm install -D @kanru/rage-wasm@0.2.2)',
    });
    let rage: Rage;
    try {
      installBrowserGlobalsShim();
      rage = (await import(RAGE_ENTRY)) as Rage;
      const [identity, recipient] = await rage.keygen();
      if (!identity?.startsWith('AGE-SECRET-KEY-1') || !recipient?.startsWith('age1')) throw new Error(`keygen returned ${String(recipient)}`);
      const plain = new TextEncoder().encode('probe');
      const back = await rage.decrypt_with_x25519(identity, await rage.encrypt_with_x25519(recipient, plain, false));
      if (new TextDecoder().decode(back) !== 'probe') throw new Error('an X25519 round trip did not give the plaintext back');
    } catch (error) {
      // Reported, not swallowed: requireOrSkip prints it (and fails under CI=true).
      const message = error instanceof Error ? error.message : String(error);
      return { rage: undefined as unknown as Rage, requirement: requirement(`${RAGE_ENTRY} does not work here: ${message}`) };
    }
    return { rage, requirement: requirement(undefined) };
  })();
  return loading;
}
