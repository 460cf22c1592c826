/**
 * The shared CloudDrive contract (test/adapters/cloud-drive-contract.ts) run against the HUAWEI
 * Drive Kit adapter over real HTTP on 127.0.0.1, one fresh emulator (test/support/huawei-drive-emulator.ts)
 * per harness. Each account has its own access token, and the device's Account Kit names it
 * (getAccount); signed out is no token; the device's HMS
 * Core state is the HMS ConnectionResult checkHmsCore answers
 * (https://developer.huawei.com/consumer/en/doc/HMSCore-References/connectionresult-0000001050121136:
 * 0 SUCCESS, 1 SERVICE_MISSING, 2 SERVICE_VERSION_UPDATE_REQUIRED); a scripted network failure is a
 * 500 the single-try policy gives up on; the quota is the account's userCapacity (About.get).
 */
import { createHuaweiDriveCloud, pathOfFileName } from '../../adapters/cloud/huawei-drive.ts';
import type { HmsCoreState } from '../../src/ports/cloud-drive.ts';
import { startHuaweiDriveEmulator } from '../support/huawei-drive-emulator.ts';
import { describeCloudDriveContract, storeFile } from './cloud-drive-contract.ts';
import { recordingFetch } from './recording-fetch.ts';

const HMS_CODE: Record<HmsCoreState, number> = { ok: 0, missing: 1, outdated: 2 };

describeCloudDriveContract(
  'huawei drive over HTTP (our Drive Kit emulator)',
  async ({ account }) => {
    const emulator = await startHuaweiDriveEmulator();
    let current = account;
    let hms: HmsCoreState = 'ok';
    const tokens = new Map<string, string>();
    const tokenFor = (who: string): string => {
      let token = tokens.get(who);
      if (token === undefined) {
        token = `AT-${tokens.size + 1}-secret-${Math.random().toString(36).slice(2)}`;
        tokens.set(who, token);
        emulator.addToken(token, who);
      }
      return token;
    };
    const recorder = recordingFetch();
    const drive = createHuaweiDriveCloud({
      fetch: recorder.fetch,
      getAccessToken: async () => (current === null ? null : tokenFor(current)),
      getAccount: async () => current,
      checkHmsCore: async () => HMS_CODE[hms],
      baseUrl: emulator.url,
    });
    const accounts = new Set<string>(account === null ? [] : [account]);
    return {
      drive,
      setAccount: async (next) => {
        current = next;
        if (next !== null) accounts.add(next);
      },
      setQuotaBytes: async (bytes) => {
        for (const who of accounts) emulator.setCapacity(who, bytes);
      },
      setHms: async (state) => {
        hms = state;
      },
      failNextOps: async (count) => {
        for (let index = 0; index < count; index += 1) emulator.failNext('any', { kind: 'error', status: 500, code: '21005006' });
      },
      storedFiles: async () => {
        const stored: Record<string, Record<string, Uint8Array>> = {};
        for (const who of accounts) {
          for (const file of emulator.files(who)) storeFile(stored, who, pathOfFileName(file.fileName) ?? file.fileName, file.bytes);
        }
        return stored;
      },
      dispose: () => emulator.close(),
      interruptNextUpload: async () => emulator.failNext('upload', { kind: 'cut-request' }),
      loseNextCreateAnswer: async () => emulator.failNext('files.create', { kind: 'drop', afterApplying: true }),
      requests: () => ({ urls: recorder.urls, secrets: [...tokens.values()] }),
    };
  },
  {
    providers: ['huawei'],
    exceptions: {
      'account-needs-hms': 'Account Kit runs inside HMS Core: without it no HUAWEI ID can be named, so status() says account null (docs/huawei-drive.md)',
    },
  },
);
