/**
 * The bundled core runs where only Hermes's and React Native's globals exist, plus exactly the
 * polyfills the README names ("React Native and browsers"): a backup and a restore complete,
 * and each global taken away is reported as an EnvironmentError naming it.
 *
 * The context. A node:vm context starts with the ECMAScript built-ins only (Object, Promise,
 * Uint8Array, WeakRef, Intl, ...); WebAssembly, SharedArrayBuffer and Atomics are removed, as
 * React Native's Hermes has none of them. What Hermes and React Native add, per their sources:
 * - TextEncoder: Hermes (facebook/hermes API/hermes/extensions/10-TextEncoder.js, TextEncoder.h,
 *   "Install the TextEncoder constructor on the global object"), shipped with React Native 0.74
 *   (facebook/react-native issue 56325: "TextEncoder landed in Hermes for RN 0.74 (hermes#948)";
 *   npm @bacons/text-decoder: "In Expo SDK 51 (React Native 74), Hermes supports TextEncoder
 *   natively but not TextDecoder"; web5-react-native-polyfills 2.0.0: "Hermes ships atob and
 *   btoa. Hermes ships TextEncoder", for React Native >= 0.74).
 *   Stood in for here by fast-text-encoding's TextEncoder, evaluated inside the context so its
 *   Uint8Arrays are the context's own.
 * - setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate,
 *   queueMicrotask: React
 *   Native's timers (facebook/react-native packages/react-native/Libraries/Core/setUpTimers.js,
 *   Timers/JSTimers.js, Timers/queueMicrotask.js); here Node's.
 * - console.
 * React Native also installs fetch, Headers, Request, Response, FormData, Blob, URL,
 * AbortController (Libraries/Core/setUpXHR.js, whatwg-fetch based) and atob/btoa; the core
 * uses none of them, so they are left out: the run shows it does not need them.
 * Not there: crypto (Hermes main has just gained a crypto.getRandomValues extension,
 *   API/hermes/extensions/12-Crypto.js, whose comment says "Hermes has no DOMException";
 *   released React Native apps cannot count on it), crypto.subtle, TextDecoder (Hermes
 *   20-TextDecoder.js, hermes#1855, landed December 2025 and "should ship with RN 0.85", issue
 *   56325: not in the versions apps run today), ReadableStream, TransformStream, DOMException.
 *
 * The polyfills, as a React Native app would load them:
 * - fast-text-encoding (TextDecoder; TextEncoder when Hermes lacks it): the real package,
 *   evaluated in the context.
 * - web-streams-polyfill/polyfill: the real package, evaluated in the context.
 * - react-native-get-random-values: native code (it calls into the platform's RNG), so a
 *   stand-in from node:crypto's randomFillSync provides crypto.getRandomValues here.
 */
import { build } from 'esbuild';
import { randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PASSWORD = 'hermes backup pass';

/** The polyfill packages this test loads, by the name the README gives them. */
const POLYFILLS = ['react-native-get-random-values', 'fast-text-encoding', 'web-streams-polyfill'];
const NEEDED = ['crypto.getRandomValues', 'TextEncoder', 'TextDecoder', 'ReadableStream', 'TransformStream'];

let bundle: string;
const fastTextEncoding = readFileSync(require.resolve('fast-text-encoding'), 'utf8');
const webStreams = readFileSync(require.resolve('web-streams-polyfill/polyfill'), 'utf8');

beforeAll(async () => {
  const result = await build({
    entryPoints: ['src/index.ts'],
    bundle: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    format: 'iife',
    globalName: 'WalletBackupEngine',
    write: false,
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0]!.text;
});

interface Core {
  [name: string]: any;
}

/** A context with Hermes's and React Native's globals, the README's polyfills, minus `without`. */
function hermesContext(without: string[] = []): { core: Core; global: Record<string, any>; context: vm.Context } {
  const global: Record<string, any> = {
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    setImmediate,
    clearImmediate,
    queueMicrotask,
  };
  const context = vm.createContext(global);
  vm.runInContext('delete globalThis.WebAssembly; delete globalThis.SharedArrayBuffer; delete globalThis.Atomics;', context);
  // react-native-get-random-values' stand-in (see the header).
  vm.runInContext('globalThis.crypto = {}', context);
  global.crypto.getRandomValues = <T extends Uint8Array>(array: T): T => {
    randomFillSync(array);
    return array;
  };
  vm.runInContext(fastTextEncoding, context);
  vm.runInContext(webStreams, context);
  for (const name of without) vm.runInContext(name === 'crypto.getRandomValues' ? 'delete crypto.getRandomValues' : `delete globalThis.${name}`, context);
  vm.runInContext(bundle, context);
  return { core: global.WalletBackupEngine as Core, global, context };
}

function newEngine(core: Core) {
  return core.createBackupEngine({
    eventLog: core.openMemoryEventStore(),
    clouds: core.createMemoryClouds({ account: 'alice@example.com' }),
    kdf: core.createNobleScrypt(),
    scryptLogN: 10,
  });
}

describe('the core on Hermes with the README polyfills', () => {
  it('the README names exactly the globals the core checks and the polyfills this test loads', () => {
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf('### React Native and browsers');
    const section = readme.slice(start, readme.indexOf('\n## ', start));
    const rows = section.split('\n').filter((line) => /^\| `/.test(line));
    const named = rows.map((row) => row.split('|').map((cell) => cell.trim()));
    expect(named.map((cells) => cells[1]!.replaceAll('`', ''))).toEqual(NEEDED);
    expect([...new Set(named.map((cells) => cells[4]!.replaceAll('`', '')))].sort()).toEqual([...POLYFILLS].sort());
    const { core } = hermesContext();
    expect(core.PLATFORM_REQUIREMENTS.map((r: { global: string }) => r.global)).toEqual(NEEDED);
    expect(core.PLATFORM_REQUIREMENTS.map((r: { global: string; polyfill: string }) => `${r.global} ${r.polyfill}`)).toEqual(
      named.map((cells) => `${cells[1]!.replaceAll('`', '')} ${cells[4]!.replaceAll('`', '')}`),
    );
  });

  it('has none of the globals the core no longer needs', () => {
    const { global } = hermesContext();
    for (const absent of ['TextDecoder', 'ReadableStream']) expect(typeof global[absent]).toBe('function'); // the polyfills'
    for (const absent of ['Response', 'fetch', 'btoa', 'atob', 'DOMException', 'Buffer', 'process']) expect(global[absent]).toBeUndefined();
    expect(global.crypto.subtle).toBeUndefined();
    expect(global.crypto.randomUUID).toBeUndefined();
  });

  it('a backup and a restore complete', async () => {
    const { core } = hermesContext();
    const engine = newEngine(core);
    const backup = await engine.backup({ provider: 'icloud', mnemonic: MNEMONIC });
    await backup.choosePassword(PASSWORD, PASSWORD);
    expect(backup.result().outcome).toBe('done');
    expect(backup.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const restore = await engine.restore({ provider: 'icloud', walletId: backup.result().walletId });
    await restore.enterPassword(PASSWORD);
    expect(restore.result().outcome).toBe('done');
    expect(restore.result().mnemonic).toBe(MNEMONIC);
  });

  for (const missing of NEEDED) {
    it(`without ${missing}, creating the engine is an EnvironmentError naming it and its package`, () => {
      const { core } = hermesContext([missing]);
      let thrown: any;
      try {
        newEngine(core);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(core.EnvironmentError);
      expect(thrown.name).toBe('EnvironmentError');
      expect(thrown.missing).toEqual([missing]);
      const requirement = core.PLATFORM_REQUIREMENTS.find((r: { global: string }) => r.global === missing);
      expect(thrown.message).toContain(missing);
      expect(thrown.message).toContain(requirement.polyfill);
    });
  }

  it('a global gone after the engine was made ends the backup as an environment fault naming it, not a verify or record problem', async () => {
    const { core, context } = hermesContext();
    const engine = newEngine(core);
    vm.runInContext('delete globalThis.TextDecoder', context);
    const backup = await engine.backup({ provider: 'icloud', mnemonic: MNEMONIC });
    await backup.choosePassword(PASSWORD, PASSWORD);
    expect(backup.view().meta).toEqual({ outcome: 'failed', reason: 'unexpected' });
    const cause = backup.unexpectedError();
    expect(cause).toBeInstanceOf(core.EnvironmentError);
    expect(cause.missing).toEqual(['TextDecoder']);
    expect(cause.message).toContain('fast-text-encoding');
    expect(cause.message).not.toContain(PASSWORD);
    expect(cause.message).not.toContain('legal winner');
  });

  it('a global gone before a restore opens the records ends it as an environment fault, not a wrong password', async () => {
    const { core, context } = hermesContext();
    const engine = newEngine(core);
    const backup = await engine.backup({ provider: 'icloud', mnemonic: MNEMONIC });
    await backup.choosePassword(PASSWORD, PASSWORD);
    expect(backup.result().outcome).toBe('done');
    vm.runInContext('delete globalThis.TransformStream', context);
    const restore = await engine.restore({ provider: 'icloud', walletId: backup.result().walletId });
    await restore.enterPassword(PASSWORD);
    expect(restore.view().meta).toEqual({ outcome: 'failed', reason: 'unexpected' });
    const cause = restore.unexpectedError();
    expect(cause).toBeInstanceOf(core.EnvironmentError);
    expect(cause.missing).toEqual(['TransformStream']);
    expect(restore.result().mnemonic ?? null).toBeNull();
  });
});
