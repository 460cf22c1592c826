/**
 * The shared CloudDrive contract (test/adapters/cloud-drive-contract.ts) run against the CloudKit
 * Web Services adapter over real HTTP on 127.0.0.1, one fresh emulator (test/support/cloudkit-emulator.ts)
 * per harness. Signing in is a web auth token from the emulator's session for that user; a
 * different account is a new sign-in, so the harness swaps the adapter behind one drive, as an app
 * builds a new one after CloudKit JS signs another Apple ID in. status() names the account by its
 * userRecordName [caller]; a scripted network failure is a 503 the single-try policy gives up on.
 * Reference pages (CloudKit Web Services Reference): [compose] SettingUpWebServices.html,
 * [caller] FetchCurrentUserIdentity.html, [errors] ErrorCodes.html, under
 * https://developer.apple.com/library/archive/documentation/DataManagement/Conceptual/CloudKitWebServicesReference/.
 */
import { CLOUDKIT_ZONE, createCloudKitCloud, pathOfRecordName, type CloudKitCloud } from '../../adapters/cloud/cloudkit.ts';
import type { CloudDrive } from '../../src/ports/cloud-drive.ts';
import { startCloudKitEmulator } from '../support/cloudkit-emulator.ts';
import { describeCloudDriveContract } from './cloud-drive-contract.ts';
import { recordingFetch } from './recording-fetch.ts';

describeCloudDriveContract(
  'cloudkit over HTTP (our CloudKit Web Services emulator)',
  async ({ account }) => {
    const ck = await startCloudKitEmulator();
    const recorder = recordingFetch();
    const secrets = new Set<string>([ck.apiToken]);
    const accounts = new Set<string>();
    const signedIn = (who: string | null): CloudKitCloud => {
      let token: string | null = null;
      if (who !== null) {
        accounts.add(who);
        token = ck.signIn(who);
        secrets.add(token);
      }
      return createCloudKitCloud({
        fetch: recorder.fetch,
        container: ck.container,
        environment: 'development',
        apiToken: ck.apiToken,
        webAuthToken: token,
        getWebAuthToken: async () => null,
        onWebAuthToken: (fresh) => void secrets.add(fresh),
        baseUrl: ck.url,
      });
    };
    let inner = signedIn(account);
    const drive: CloudDrive = {
      provider: 'icloud',
      status: () => inner.status(),
      read: (path, limit) => inner.read(path, limit),
      write: (path, bytes) => inner.write(path, bytes),
      create: (path, bytes) => inner.create(path, bytes),
      list: (prefix) => inner.list(prefix),
      delete: (path) => inner.delete(path),
      quota: () => inner.quota(),
    };
    return {
      drive,
      accountName: (who) => ck.userRecordName(who),
      setAccount: async (next) => {
        inner = signedIn(next);
      },
      setQuotaBytes: async (bytes) => {
        for (const who of accounts) ck.setQuotaBytes(who, bytes);
      },
      // iCloud has no HMS Core: the device's HMS state changes nothing (the contract checks exactly that).
      setHms: async () => undefined,
      failNextOps: async (count) => {
        for (let index = 0; index < count; index += 1) ck.failNext('any', { kind: 'http', status: 503, code: 'SERVICE_UNAVAILABLE' });
      },
      storedFiles: async () => {
        const stored: Record<string, Record<string, Uint8Array>> = {};
        for (const who of accounts) {
          for (const [recordName, bytes] of Object.entries(ck.records(who, CLOUDKIT_ZONE))) (stored[who] ??= {})[pathOfRecordName(recordName) ?? recordName] = bytes;
        }
        return stored;
      },
      dispose: () => ck.close(),
      interruptNextUpload: async () => ck.failNext('records/modify', { kind: 'cut-request' }),
      loseNextCreateAnswer: async () => ck.failNext('records/modify', { kind: 'drop', when: 'after' }),
      requests: () => ({ urls: recorder.urls, secrets: [...secrets] }),
    };
  },
  {
    providers: ['icloud'],
    // [compose]: CloudKit Web Services takes both tokens only as query parameters.
    secretQueryParameters: ['ckAPIToken', 'ckWebAuthToken'],
    exceptions: {
      'quota-accounting': 'no CloudKit Web Services endpoint reports the iCloud total, and QUOTA_EXCEEDED [errors] names no shortfall: quota() says an unbounded total and neededBytes is the whole record (docs/cloudkit.md)',
      'status-needs-network': 'the account is named only by users/caller [caller], a request: offline, status() fails with network (docs/cloudkit.md)',
    },
  },
);
