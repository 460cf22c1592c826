/**
 * `npm start`: the cloud-backup guide's whole story, run for real on the embedded defaults
 * (a SQLite event log and a local folder standing in for the cloud drives), narrating every
 * transition as the engine appends it to the log.
 *
 * Everything lives under ./story-output (made anew on each run). The production scrypt work
 * factor (2^17) is used, so each password check takes about half a second, as on a phone.
 *
 *   npm start                 the story
 *   npm start -- --quiet      only the chapter lines and the summary
 *   npm start -- --inspect    with the offline inspector live (src/inspect/story-inspector.ts)
 *   npm start -- --http       over the Google Drive and HUAWEI Drive Kit adapters, against their
 *                             emulators on 127.0.0.1 (worlds.ts)
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StoredRow } from '../ports/event-store.ts';
import type { ProviderId } from '../ports/providers.ts';
import { PROVIDER_NAMES } from '../ports/providers.ts';
import { createNodeScrypt } from '../../adapters/kdf/node-scrypt.ts';
import { openSqliteEventStore } from '../../adapters/store/sqlite-event-store.ts';
import { createBackupEngine, type BackupEngine, type FlowView } from '../engine/index.ts';
import { HINT_TEXT, type PasswordHint } from '../format/index.ts';
import { narrateRow, summarizeLog } from './narration.ts';
import { httpWorld, localWorld, type StoryWorld } from './worlds.ts';
import { terminalSafeLines } from '../text/terminal-safe.ts';

/** What the story prints, through the same boundary as the CLI's (src/cli/run.ts). */
const print = (text: string) => console.log(terminalSafeLines(text));
const printError = (text: string) => console.error(terminalSafeLines(text));

const quiet = process.argv.includes('--quiet');
const overHttp = process.argv.includes('--http');
/** Set by --inspect: the live inspector every engine of the story reports to. */
let storyInspector: import('../inspect/story-inspector.ts').StoryInspector | null = null;
/** WALLET_BACKUP_STORY_DIR moves the output (the story's own test runs it in a temp folder). */
const outDir = resolve(process.env.WALLET_BACKUP_STORY_DIR ?? 'story-output');
const cloudDir = join(outDir, 'wallet-cloud');
const dbPath = join(outDir, 'wallet-backup.db');

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const PASSWORD_2024 = 'Blue-harbour 2024';
const PASSWORD_NEW = 'quiet lantern 88';
const WALLETS = {
  everyday: 'legal winner thank year wave sausage worth useful legal winner thank yellow',
  savings:
    'letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless',
  travel: 'scheme spot photo card baby mountain device kick cradle pact join borrow',
  family: 'cat swing flag economy stadium alone churn speed unique patch report train',
  gaming: 'vessel ladder alter error federal sibling chat ability sun glass valve picture',
  newPhone: 'attack ecology mandate unit actor draw jump banner unable crush direct prefer',
};

let world: StoryWorld;
let chapter = 0;
function title(text: string): void {
  chapter++;
  print(`\n${chapter}. ${text}`);
}
function say(text: string): void {
  print(`   ${text}`);
}
function expectState(view: FlowView, expected: string): void {
  const actual = JSON.stringify(view.state);
  if (actual !== JSON.stringify(expected) && !actual.includes(`"${expected}"`)) {
    throw new Error(`The story expected the flow to be at ${expected}, but it is at ${actual}.`);
  }
}
function hintsOf(context: Record<string, unknown>): string {
  const hints = (context.hints as PasswordHint[]) ?? [];
  return hints.length === 0 ? 'no hint applies' : hints.map((h) => HINT_TEXT[h]).join('; ');
}

function openEngine(path: string): { engine: BackupEngine; close: () => Promise<void> } {
  const store = openSqliteEventStore({ path });
  const engine = createBackupEngine({
    eventLog: store,
    clouds: world.clouds(),
    kdf: createNodeScrypt(),
    device: { id: 'story-phone' },
    ...(storyInspector ? { inspect: storyInspector.inspect } : {}),
  });
  const flowNumbers = new Map<string, number>();
  engine.rows$.subscribe((row: StoredRow) => {
    if (!flowNumbers.has(row.flowId)) flowNumbers.set(row.flowId, flowNumbers.size + 1);
    if (!quiet) print(`      ${narrateRow(row, flowNumbers.get(row.flowId)!)}`);
  });
  return { engine, close: () => store.close() };
}


async function main(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  if (process.argv.includes('--inspect')) storyInspector = await (await import('../inspect/story-inspector.ts')).startStoryInspector(dbPath);
  print('wallet-backup-engine: the cloud-backup guide, told by the engine itself.');
  world = overHttp ? await httpWorld(ALICE, [BOB]) : localWorld(cloudDir, ALICE);
  print(`Event log: ${dbPath}\n${world.where}`);
  print("Alice uses Huawei Cloud on her phone; the password KDF runs at production cost (scrypt 2^17).");

  const phone = openEngine(dbPath);
  const { engine } = phone;
  const huawei: ProviderId = 'huawei';

  title(`First backup to ${PROVIDER_NAMES[huawei]}: Alice sets a backup password, bound to her account (R4).`);
  let backup = await engine.backup({ provider: huawei, mnemonic: WALLETS.everyday, walletName: 'Everyday' });
  expectState(backup.view(), 'choosingPassword');
  say('She types a 5-character password first: refused, at least 6 characters (R3).');
  await backup.choosePassword('short', 'short');
  say(`She chooses "${'*'.repeat(PASSWORD_2024.length)}" and types it twice.`);
  expectState(await backup.choosePassword(PASSWORD_2024, PASSWORD_2024), 'done');
  const everyday = backup.result();
  say(`Backed up wallet ${everyday.walletId} under password epoch ${everyday.epoch}, verified by reading it back (E3).`);

  title('A second wallet under the same account: the password is verified first (R5).');
  backup = await engine.backup({ provider: huawei, mnemonic: WALLETS.savings, walletName: 'Savings', offlineCopyConfirmed: true });
  expectState(await backup.enterPassword(PASSWORD_2024), 'done');
  say(`Wallet ${backup.result().walletId} (24 words) is encrypted to the same epoch ${backup.result().epoch}; she also confirmed a paper copy (R17).`);

  title('A wrong password: one character off, and the guide\'s hints (R10).');
  backup = await engine.backup({ provider: huawei, mnemonic: WALLETS.travel, walletName: 'Travel' });
  let view = await backup.enterPassword(`${PASSWORD_2024} `);
  expectState(view, 'enteringPassword');
  say(`Refused, with a trailing space. Hints: ${hintsOf(backup.context())}.`);
  view = await backup.enterPassword(PASSWORD_2024.toUpperCase());
  say(`Refused again, typed with Caps Lock on. Hints: ${hintsOf(backup.context())}.`);
  expectState(await backup.enterPassword(PASSWORD_2024), 'done');
  say('The third try is right: done.');

  title('Storage full: the upload fails with the bytes needed; Alice frees space and retries (R12).');
  await world.setQuota(huawei, 1500);
  backup = await engine.backup({ provider: huawei, mnemonic: WALLETS.family, walletName: 'Family' });
  view = await backup.enterPassword(PASSWORD_2024);
  expectState(view, 'storageFull');
  say(`Her Huawei Cloud is full: ${String(backup.context().neededBytes)} more bytes are needed. Nothing half-written is left.`);
  await world.setQuota(huawei, 15 * 1024 * 1024);
  say('She deletes old photos and taps retry.');
  expectState(await backup.spaceFreed(), 'done');

  title('HMS Core missing: the backup fails loudly, never silently (R13); she installs it and retries.');
  await world.setHms(huawei, 'missing');
  backup = await engine.backup({ provider: huawei, mnemonic: WALLETS.gaming, walletName: 'Gaming' });
  expectState(backup.view(), 'hmsUnavailable');
  say('"HMS Core is not installed. Install it from Huawei AppGallery, restart the phone, then retry."');
  await world.setHms(huawei, 'outdated');
  expectState(await backup.retry(), 'hmsUnavailable');
  say('She installed an old version: "HMS Core is outdated. Update it from Huawei AppGallery, then retry."');
  await world.setHms(huawei, 'ok');
  view = await backup.retry();
  expectState(view, 'enteringPassword');
  expectState(await backup.enterPassword(PASSWORD_2024), 'done');
  const gaming = backup.result();
  say(`Updated and restarted: wallet ${gaming.walletId} is backed up.`);

  title('Months later Alice forgets her backup password: a new password epoch (R8, R9: no change, no reset).');
  backup = await engine.backup({ provider: huawei, mnemonic: WALLETS.newPhone, walletName: 'New phone wallet' });
  expectState(await backup.enterPassword('Blue-harbor 2024'), 'enteringPassword');
  say(`Wrong (hints: ${hintsOf(backup.context())}). She taps "Forgot password".`);
  expectState(await backup.forgotPassword(), 'choosingPassword');
  say('Old backups stay in the cloud, unusable without the old password. She picks a new one.');
  expectState(await backup.choosePassword(PASSWORD_NEW, PASSWORD_NEW), 'done');
  say(`Wallet ${backup.result().walletId} is backed up under epoch ${backup.result().epoch}.`);

  title('She recalls the old password: an old-epoch wallet restores with it (R8).');
  let restore = await engine.restore({ provider: huawei, walletId: everyday.walletId! });
  expectState(await restore.enterPassword(PASSWORD_NEW), 'enteringPassword');
  say('The new password does not open epoch 1.');
  expectState(await restore.enterPassword(PASSWORD_2024), 'done');
  say(`The old one does: "${restore.result().walletName}" restored, ${restore.result().mnemonic!.split(' ').length} words checked against BIP39.`);

  title('She deletes the app and reinstalls it: an empty local database, the same account, the password (R14).');
  const reinstalled = openEngine(join(outDir, 'after-reinstall.db'));
  restore = await reinstalled.engine.restore({ provider: huawei });
  expectState(restore.view(), 'choosingWallet');
  const listing = await reinstalled.engine.listBackups({ provider: huawei });
  const listed = listing.ok ? listing.wallets : [];
  say(`The cloud lists ${listed.length} wallets: ${listed.map((w) => `${w.name ?? w.walletId} (epoch ${w.epoch})`).join(', ')}.`);
  await restore.chooseWallet(gaming.walletId!);
  expectState(await restore.enterPassword(PASSWORD_2024), 'done');
  say(`"${restore.result().walletName}" is back on the phone.`);
  await reinstalled.close();

  title('Signed in to the wrong account: backups are found only where they were made (R11).');
  await world.signIn(huawei, BOB);
  restore = await engine.restore({ provider: huawei });
  expectState(restore.view(), 'noBackups');
  const known = (restore.context().knownAccounts as string[]) ?? [];
  say(`No backup in ${BOB}. This phone made backups under ${known.join(', ')}: sign in to it and retry.`);
  await world.signIn(huawei, null);
  expectState(await restore.retry(), 'choosingWallet');
  say(`Signed back in as ${ALICE}, her wallets are listed again.`);
  await restore.cancel();

  title('Switching provider: one active provider per device (R15).');
  let switchFlow = await engine.switchProvider({ to: 'gdrive' });
  expectState(switchFlow.view(), 'confirming');
  say('New backups will go to Google Drive; the Huawei Cloud backups stay where they are. She confirms.');
  expectState(await switchFlow.confirm(), 'done');
  backup = await engine.backup({ provider: huawei, mnemonic: WALLETS.travel, walletName: 'Travel' });
  expectState(backup.view(), 'providerInactive');
  say('A backup to Huawei Cloud is now refused: Google Drive is the active provider.');
  backup = await engine.backup({ provider: 'gdrive', mnemonic: WALLETS.travel, walletName: 'Travel' });
  say('Her Google account has no backup yet: she binds a password to it.');
  expectState(await backup.choosePassword(PASSWORD_NEW, PASSWORD_NEW), 'done');
  switchFlow = await engine.switchProvider({ to: 'gdrive' });
  expectState(switchFlow.view(), 'alreadyActive');

  title('Summary of the event log.');
  const cloudOnly = await engine.cloudOnlyWallets();
  await phone.close();
  const reopened = openSqliteEventStore({ path: dbPath });
  for (const line of await summarizeLog(reopened)) say(line);
  say(`Wallets relying on the cloud alone, with no confirmed paper copy (R17): ${cloudOnly.length}.`);
  for (const w of cloudOnly) say(`  ${PROVIDER_NAMES[w.provider as ProviderId]} / ${w.account} / ${w.walletId}`);
  await reopened.close();
  print(`\nDone. Inspect it: npm run cli -- history --db ${dbPath}`);
  if (overHttp) print(`Audit it (chain, replay): npm run cli -- audit --db ${dbPath} (the emulators' clouds are gone now)`);
  else print(`Audit it (chain, replay, checkpoints, each account's history): npm run cli -- audit --db ${dbPath} --cloud ${cloudDir}`);
}

main()
  .catch((error: unknown) => {
    printError(`\nThe story stopped: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await storyInspector?.finish();
    await world?.close();
  });
