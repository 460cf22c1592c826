/**
 * The shared CloudDrive contract (test/adapters/cloud-drive-contract.ts) run against the Google
 * Drive adapter over real HTTP on 127.0.0.1: google-drive-mock behind our fault proxy, one fresh
 * emulator per harness. Accounts are tokens of the emulator's accounts; the device's sign-in is
 * the adapter's getAccount; a scripted network failure is a 503 the single-try policy gives up on;
 * an interrupted upload is cut off by the proxy mid-body, a lost create answer is a connection the
 * proxy drops after the mock made the file.
 */
import { createGoogleDriveCloud } from '../../adapters/cloud/google-drive.ts';
import { startDriveEmulator } from '../support/drive-fault-proxy.ts';
import { describeCloudDriveContract, storeFile } from './cloud-drive-contract.ts';
import { recordingFetch } from './recording-fetch.ts';

describeCloudDriveContract(
  'google drive over HTTP (google-drive-mock + fault proxy)',
  async ({ account }) => {
    const emulator = await startDriveEmulator();
    let current = account;
    const tokens = new Map<string, string>();
    const tokenFor = (who: string): string => {
      const known = tokens.get(who);
      if (known !== undefined) return known;
      const fresh = emulator.issueToken(who);
      tokens.set(who, fresh);
      return fresh;
    };
    const recorder = recordingFetch();
    const drive = createGoogleDriveCloud({
      fetch: recorder.fetch,
      getAccessToken: async () => (current === null ? null : tokenFor(current)),
      getAccount: async () => current,
      baseUrl: emulator.url,
    });
    return {
      drive,
      setAccount: async (next) => {
        current = next;
      },
      setQuotaBytes: async (bytes) => emulator.setQuotaLimit(bytes),
      // Drive has no HMS Core: the device's HMS state changes nothing (the contract checks exactly that).
      setHms: async () => undefined,
      failNextOps: async (count) => emulator.fail('any', { kind: 'status', status: 503, reason: 'backendError' }, count),
      storedFiles: async () => {
        const stored: Record<string, Record<string, Uint8Array>> = {};
        for (const file of await emulator.files()) storeFile(stored, file.account, file.name, file.bytes);
        return stored;
      },
      dispose: () => emulator.close(),
      interruptNextUpload: async () => emulator.fail('upload', { kind: 'cut-request' }),
      loseNextCreateAnswer: async () => emulator.fail('files.create', { kind: 'drop-after' }),
      requests: () => ({ urls: recorder.urls, secrets: [...tokens.values()] }),
    };
  },
  { providers: ['gdrive'] },
);
