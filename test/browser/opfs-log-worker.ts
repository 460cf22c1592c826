/**
 * A browser wallet's worker, as test/browser/opfs-log.test.ts bundles it: the engine (the
 * package's root entry) with the event log in SQLite compiled to WebAssembly (./sqlite-wasm),
 * persisted in the Origin Private File System (opfs-sahpool VFS), a browser-side cloud (the
 * in-memory drives) and @noble's scrypt. The page sends one command per message and gets one
 * answer: 'backup' runs a first backup to its end; 'flows' lists what the log holds; 'audit'
 * audits the log in place (./machines' streaming audit over the store's rows, as a browser app
 * would check its own log); 'export' hands out the database file's bytes (how a log is copied off
 * the device).
 */
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import { createBackupEngine, createMemoryClouds, createNobleScrypt } from '../../src/index.ts';
import { auditLog } from '../../src/machines.ts';
import { openSqliteWasmEventStore } from '../../src/sqlite-wasm.ts';

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PASSWORD = 'correct horse 7';

type Command = 'backup' | 'flows' | 'audit' | 'export';

async function answer(command: Command): Promise<unknown> {
  const sqlite3 = await sqlite3InitModule({ print: () => {}, printErr: () => {} });
  const store = await openSqliteWasmEventStore({ sqlite3, storage: 'opfs' });
  try {
    if (command === 'backup') {
      const engine = createBackupEngine({
        eventLog: store,
        clouds: createMemoryClouds({ account: 'alice@example.com' }),
        kdf: createNobleScrypt(),
        scryptLogN: 10,
        device: { id: 'browser-worker' },
      });
      const flow = await engine.backup({ provider: 'gdrive', mnemonic: MNEMONIC, walletName: 'Browser wallet' });
      await flow.choosePassword(PASSWORD, PASSWORD);
      return { flowId: flow.id, outcome: flow.result().outcome, durability: store.driver.durability };
    }
    if (command === 'flows') return await store.flows();
    if (command === 'audit') {
      const report = await auditLog(store.readAll());
      return { ok: report.ok, rows: report.rows, flows: report.flows, chain: report.chain.ok, errors: report.counts.error };
    }
    return Array.from(await store.driver.exportBytes!());
  } finally {
    await store.close();
  }
}

self.onmessage = (message: MessageEvent<Command>) => {
  answer(message.data).then(
    (result) => self.postMessage({ ok: true, result }),
    (error: unknown) => self.postMessage({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
  );
};
