/**
 * --cloud <provider>+http(s)://… and --token-file (src/cli/cloud-target.ts, http-clouds.ts): what
 * the CLI refuses before it touches a cloud or a log (exit 2, nothing secret echoed), and CloudKit's
 * rotating web auth token, which the command writes back so the next command can use it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCloudKitEmulator } from '../support/cloudkit-emulator.ts';
import { startEmulatedCloud } from '../support/emulated-clouds.ts';
import { PHRASES, cliEnv, runBinary } from './cli-sandbox.ts';

const dir = mkdtempSync(join(tmpdir(), 'wbe-http-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = cliEnv({ WALLET_BACKUP_PASSWORD: 'correct horse battery' });
const db = join(dir, 'device.db');
const list = (cloud: string, extra: string[] = [], provider = 'gdrive') => runBinary(['list', '--provider', provider, '--account', 'alice@example.com', '--cloud', cloud, '--db', db, ...extra], env);

describe('--cloud URL and --token-file: refused before anything is read or written', () => {
  const token = join(dir, 'token');
  writeFileSync(token, 'secret-token-value\n');

  it.each([
    ['ftp://example.com', 'a cloud URL starts with the provider'],
    ['dropbox+https://example.com', 'no provider dropbox'],
    ['gdrive+https://example.com/some/path', 'origin only'],
    ['gdrive+https://example.com/?key=1', 'query or fragment'],
    ['icloud+https://api.apple-cloudkit.com/com.example/production', 'container and the environment'],
    ['icloud+https://api.apple-cloudkit.com/iCloud.com.example/staging', 'development or production'],
  ])('%s: exit 2 (%s)', async (cloud, words) => {
    const result = await list(cloud, ['--token-file', token]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(words);
    expect(existsSync(db)).toBe(false);
  });

  it('a URL with credentials in it is refused without echoing them', async () => {
    const result = await list('gdrive+https://alice:hunter2secret@example.com', ['--token-file', token]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('credentials go in --token-file');
    expect(result.stderr).not.toContain('hunter2secret');
  });

  it('a URL of one provider with --provider of another: exit 2', async () => {
    const result = await list('gdrive+http://127.0.0.1:9', ['--token-file', token], 'huawei');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is a gdrive endpoint, but --provider is huawei');
  });

  it('a URL without --token-file, and --token-file with a folder cloud: exit 2', async () => {
    expect((await list('gdrive+http://127.0.0.1:9')).stderr).toContain('needs --token-file');
    const folder = await list(join(dir, 'cloud'), ['--token-file', token]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('a local-folder cloud needs no token');
  });

  it('a token file over 16 KiB, or with a line that is no token, is refused without showing its content', async () => {
    const huge = join(dir, 'huge');
    writeFileSync(huge, 'x'.repeat(17 * 1024));
    const cloud = await startEmulatedCloud('gdrive');
    try {
      const big = await list(cloud.cloud, ['--token-file', huge]);
      expect(big.code).toBe(2);
      expect(big.stderr).toContain('token file');
      const bad = join(dir, 'bad');
      writeFileSync(bad, 'has a space secret-word\n');
      const spaced = await list(cloud.cloud, ['--token-file', bad]);
      expect(spaced.code).toBe(2);
      expect(spaced.stderr).toContain('line 1 is not a token');
      expect(spaced.stderr).not.toContain('secret-word');
    } finally {
      await cloud.close();
    }
  });
});

describe('CloudKit: the web auth token rotates with every answer', () => {
  it('the command writes the latest token back (mode 0600), so the next command works once old tokens expire', async () => {
    const ck = await startCloudKitEmulator({ container: 'iCloud.org.example.wallet', environment: 'development' });
    try {
      const tokenFile = join(dir, 'icloud.token');
      const first = ck.signIn('alice@example.com');
      writeFileSync(tokenFile, `${ck.apiToken}\n${first}\n`, { mode: 0o600 });
      const phrase = join(dir, 'phrase.txt');
      writeFileSync(phrase, PHRASES.abandon);
      const cloud = `icloud+${ck.url}/iCloud.org.example.wallet/development`;
      const on = ['--provider', 'icloud', '--account', ck.userRecordName('alice@example.com'), '--cloud', cloud, '--token-file', tokenFile, '--db', join(dir, 'icloud.db')];
      const backup = await runBinary(['backup', '--mnemonic-file', phrase, ...on, '--json'], env);
      expect(backup.code, backup.stderr).toBe(0);
      const [apiToken, latest] = readFileSync(tokenFile, 'utf8').split('\n');
      expect(apiToken).toBe(ck.apiToken);
      expect(latest).not.toBe(first);
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      expect(backup.stdout + backup.stderr).not.toContain(latest!);
      // From now on only each session's latest token works: the one the command saved.
      ck.expireSupersededTokens();
      const listed = await runBinary(['list', ...on, '--json'], env);
      expect(listed.code, listed.stderr).toBe(0);
      expect((JSON.parse(listed.stdout) as { wallets: unknown[] }).wallets).toHaveLength(1);
      // The first token, had it been kept, is refused: not signed in (exit 9).
      writeFileSync(tokenFile, `${ck.apiToken}\n${first}\n`, { mode: 0o600 });
      expect((await runBinary(['list', ...on, '--json'], env)).code).toBe(9);
    } finally {
      await ck.close();
    }
  });
});
