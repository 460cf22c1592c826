/**
 * The child process of the crash-safety test (crash-safety.test.ts): runs the engine for real on
 * a SQLite log and a local-folder cloud, backing up a few wallets (and restoring one), and kills
 * itself with SIGKILL right after the Nth row it appends when CRASH_AFTER_ROWS=N is set (the
 * parent also kills it at random moments, mid-effect). Nothing is cleaned up: SIGKILL leaves
 * what a crash or a dead battery leaves.
 *
 *   DB=... CLOUD=... [CRASH_AFTER_ROWS=N] [ROUND=r] npx tsx test/audit/crash-child.ts
 */
import { createLocalFolderClouds } from '../../adapters/cloud/local-folder.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
import { createBackupEngine } from '../../src/engine/index.ts';
import { CRASH_ACCOUNT, CRASH_PASSWORD, CRASH_WALLETS } from './crash-fixture.ts';


async function main(): Promise<void> {
  const store = openSqliteEventStore({ path: process.env.DB! });
  const engine = createBackupEngine({
    eventLog: store,
    clouds: createLocalFolderClouds({ root: process.env.CLOUD!, account: CRASH_ACCOUNT }),
    kdf: createNodeScrypt(),
    scryptLogN: 10,
    device: { id: 'crash-phone' },
  });
  const crashAfter = Number(process.env.CRASH_AFTER_ROWS ?? 0);
  let appended = 0;
  engine.rows$.subscribe(() => {
    appended += 1;
    if (appended === crashAfter) process.kill(process.pid, 'SIGKILL');
  });
  const round = Number(process.env.ROUND ?? 0);
  // Each run starts with another wallet, so kills land in binding, verifying and restoring flows.
  for (let i = 0; i < CRASH_WALLETS.length; i++) {
    const index = (round + i) % CRASH_WALLETS.length;
    const flow = await engine.backup({ provider: 'icloud', mnemonic: CRASH_WALLETS[index]!, walletName: `Wallet ${index}`, offlineCopyConfirmed: index === 1 });
    const view = flow.view();
    if (view.state === 'choosingPassword') await flow.choosePassword(CRASH_PASSWORD, CRASH_PASSWORD);
    else if (view.state === 'enteringPassword') await flow.enterPassword(CRASH_PASSWORD);
    if (flow.result().outcome !== 'done') throw new Error(`backup ${index} ended ${JSON.stringify(flow.view().state)}`);
    if (i === 1) {
      const restore = await engine.restore({ provider: 'icloud', walletId: flow.result().walletId! });
      await restore.enterPassword(CRASH_PASSWORD);
    }
  }
  await store.close();
  process.stdout.write(`ok ${appended}\n`);
}

await main();
