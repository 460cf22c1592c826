/**
 * Forgotten password and provider switching from the terminal: --new-password starts a new
 * epoch and the old epoch's wallets still restore with the old password (R8); after `switch`
 * the old provider is refused with "switch provider first" (R15).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExit, expectNoSecrets, PHRASES, readText, sandbox, walletIdOf, type Sandbox } from './cli-sandbox.ts';

const OLD_PASSWORD = 'first password';
const NEW_PASSWORD = 'second password';

describe('wallet-backup epochs and providers', () => {
  let box: Sandbox;
  const dave = ['--provider', 'icloud', '--account', 'dave'];
  beforeAll(() => {
    box = sandbox();
  });
  afterAll(() => box.cleanup());

  it('R8: --new-password starts epoch 2; the epoch-1 wallet still restores with the old password', async () => {
    const old = await box.run(['backup', ...dave, '--mnemonic-file', box.file('old.txt', PHRASES.abandon)], { password: OLD_PASSWORD });
    expectExit(old, 0);
    const oldWallet = walletIdOf(old);

    const renewed = await box.run(['backup', ...dave, '--mnemonic-file', box.file('new.txt', PHRASES.zoo), '--new-password', '--json'], {
      password: NEW_PASSWORD,
    });
    expectExit(renewed, 0);
    const json = JSON.parse(renewed.stdout) as { epoch: number; walletId: string };
    expect(json.epoch).toBe(2);
    expectNoSecrets(renewed, { password: NEW_PASSWORD, phrase: PHRASES.zoo });

    const list = JSON.parse((await box.run(['list', ...dave, '--json'])).stdout) as { epochs: number[] };
    expect(list.epochs).toEqual([1, 2]);

    // The new password does not open epoch 1 ...
    expectExit(await box.run(['restore', ...dave, '--wallet', oldWallet, '--out', join(box.dir, 'x.txt')], { password: NEW_PASSWORD }), 3);
    // ... the old one, recalled later, does.
    const out = join(box.dir, 'old-restored.txt');
    expectExit(await box.run(['restore', ...dave, '--wallet', oldWallet, '--out', out], { password: OLD_PASSWORD }), 0);
    expect(readText(out)).toBe(`${PHRASES.abandon}\n`);
    const newOut = join(box.dir, 'new-restored.txt');
    expectExit(await box.run(['restore', ...dave, '--wallet', json.walletId, '--out', newOut], { password: NEW_PASSWORD }), 0);
    expect(readText(newOut)).toBe(`${PHRASES.zoo}\n`);
  });

  it('R15: switch needs --yes without a terminal, then backups to the old provider are refused (exit 2)', async () => {
    const gdrive = ['--provider', 'gdrive', '--account', 'dave'];
    const unconfirmed = await box.run(['switch', ...gdrive]);
    expectExit(unconfirmed, 2);
    expect(unconfirmed.stderr).toContain('--yes');

    const switched = await box.run(['switch', ...gdrive, '--yes']);
    expectExit(switched, 0);
    expect(switched.stdout).toContain('now backs up to Google Drive');

    const refused = await box.run(['backup', ...dave, '--mnemonic-file', box.file('again.txt', PHRASES.letter)], { password: NEW_PASSWORD });
    expectExit(refused, 2);
    expect(refused.stderr).toContain('Switch provider first: wallet-backup switch --provider icloud --account dave');

    expectExit(await box.run(['backup', ...gdrive, '--mnemonic-file', box.file('again.txt', PHRASES.letter)], { password: NEW_PASSWORD }), 0);
  });
});
