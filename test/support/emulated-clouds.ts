/**
 * One provider's emulator on 127.0.0.1 with a signed-in person, their token file for the CLI
 * (`--cloud <provider>+http://… --token-file F`), and the faults of the README's fault matrix by
 * name, so the matrix test (test/cli/fault-matrix.test.ts) and a person at a terminal
 * (`npm run emulators`, scripts/emulators.ts) inject exactly the same ones.
 *
 * Emulators: Drive is the third-party google-drive-mock behind our fault proxy
 * (drive-fault-proxy.ts); Huawei and CloudKit are ours (huawei-drive-emulator.ts,
 * cloudkit-emulator.ts), written from the providers' references, cited there per behaviour.
 */
import { writeFile } from 'node:fs/promises';
import type { ProviderId } from '../../src/ports/providers.ts';
import { CLOUDKIT_ZONE } from '../../adapters/cloud/cloudkit.ts';
import { startDriveEmulator, type DriveEmulator } from './drive-fault-proxy.ts';
import { HUAWEI_CODES, startHuaweiDriveEmulator, type HuaweiDriveEmulator } from './huawei-drive-emulator.ts';
import { startCloudKitEmulator, type CloudKitEmulator } from './cloudkit-emulator.ts';

export const ALICE = 'alice@example.com';
export const BOB = 'bob@example.com';
const CONTAINER = 'iCloud.org.example.wallet';
const ENVIRONMENT = 'development';
/** Bytes a full account has left: less than one keyring. */
const FULL_QUOTA_BYTES = 64;

/** The faults of the matrix, in its row order, with the words its table shows. */
export const FAULTS = {
  'none': 'no fault',
  'storage-full': 'storage full',
  'token-refused-once': 'token refused once (refreshed)',
  'token-revoked': 'token revoked',
  'unavailable-burst': '503 twice, then answers',
  'rate-limited': '429 with Retry-After 1 s, once',
  'unavailable': '503 on every request',
  'connection-dropped': 'connection dropped once',
  'answer-lost': "an upload's answer lost",
  'wrong-account': 'another account signed in',
  'partial-pages': 'partial and empty listing pages',
  'hms-missing': 'HMS Core missing',
  'hms-outdated': 'HMS Core outdated',
  'zone-missing': 'the zone deleted (app data reset)',
} as const;
export type FaultName = keyof typeof FAULTS;

/** Faults only one provider has. */
const ONLY: Partial<Record<FaultName, ProviderId>> = { 'hms-missing': 'huawei', 'hms-outdated': 'huawei', 'zone-missing': 'icloud' };

export function faultsOf(provider: ProviderId): FaultName[] {
  return (Object.keys(FAULTS) as FaultName[]).filter((fault) => (ONLY[fault] ?? provider) === provider);
}

/** The environment a fault needs on the CLI's side (HMS Core lives on the phone, not in the emulator). */
export function faultEnv(fault: FaultName): Record<string, string> {
  if (fault === 'hms-missing') return { WALLET_BACKUP_HMS_RESULT: '1' };
  if (fault === 'hms-outdated') return { WALLET_BACKUP_HMS_RESULT: '2' };
  return {};
}

export interface EmulatedCloud {
  readonly provider: ProviderId;
  /** The --cloud value. */
  readonly cloud: string;
  /** The --account the signed-in person's backups are under (CloudKit: their userRecordName). */
  account(who?: 'alice' | 'bob'): string;
  /** Writes the person's token file (mode 0600): what --token-file reads. */
  writeTokenFile(path: string, who?: 'alice' | 'bob'): Promise<void>;
  /** Injects a fault from now on (wrong-account and HMS Core are the token file's and the CLI's side). */
  inject(fault: FaultName): void;
  close(): Promise<void>;
}

function personOf(who: 'alice' | 'bob'): string {
  return who === 'alice' ? ALICE : BOB;
}

async function driveCloud(port: number | undefined): Promise<EmulatedCloud> {
  const emulator: DriveEmulator = await startDriveEmulator({ ...(port !== undefined ? { port } : {}) });
  const tokens = { alice: emulator.issueToken(ALICE), bob: emulator.issueToken(BOB) };
  return {
    provider: 'gdrive',
    cloud: `gdrive+${emulator.url}`,
    account: (who = 'alice') => personOf(who),
    writeTokenFile: (path, who = 'alice') => writeFile(path, `${tokens[who]}\n`, { mode: 0o600 }),
    inject(fault) {
      switch (fault) {
        case 'storage-full':
          return emulator.setQuotaLimit(FULL_QUOTA_BYTES);
        case 'token-refused-once':
          return emulator.fail('any', { kind: 'status', status: 401, reason: 'authError' });
        case 'token-revoked':
          return emulator.expireToken(tokens.alice);
        case 'unavailable-burst':
          return emulator.fail('any', { kind: 'status', status: 503, reason: 'backendError' }, 2);
        case 'rate-limited':
          return emulator.fail('any', { kind: 'status', status: 429, reason: 'rateLimitExceeded', retryAfter: '1' });
        case 'unavailable':
          return emulator.fail('any', { kind: 'status', status: 503, reason: 'backendError' }, 1_000_000);
        case 'connection-dropped':
          return emulator.fail('any', { kind: 'drop-before' });
        case 'answer-lost':
          return emulator.fail('upload', { kind: 'drop-after' });
        case 'partial-pages':
          emulator.setPageSize(1);
          return emulator.setEmptyPages(true);
        default:
          return undefined;
      }
    },
    close: () => emulator.close(),
  };
}

async function huaweiCloud(port: number | undefined): Promise<EmulatedCloud> {
  const emulator: HuaweiDriveEmulator = await startHuaweiDriveEmulator({ ...(port !== undefined ? { port } : {}) });
  const tokens = { alice: 'AT-alice-emulator', bob: 'AT-bob-emulator' };
  emulator.addToken(tokens.alice, ALICE);
  emulator.addToken(tokens.bob, BOB);
  const error = (status: number, code: string, retryAfterSeconds?: number) =>
    ({ kind: 'error', status, code, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) }) as const;
  return {
    provider: 'huawei',
    cloud: `huawei+${emulator.url}`,
    account: (who = 'alice') => personOf(who),
    writeTokenFile: (path, who = 'alice') => writeFile(path, `${tokens[who]}\n`, { mode: 0o600 }),
    inject(fault) {
      switch (fault) {
        case 'storage-full':
          return emulator.setCapacity(ALICE, FULL_QUOTA_BYTES);
        case 'token-refused-once':
          return emulator.failNext('any', error(401, HUAWEI_CODES.SESSION_EXPIRED));
        case 'token-revoked':
          return emulator.expireToken(tokens.alice);
        case 'unavailable-burst':
          emulator.failNext('any', error(503, HUAWEI_CODES.DATA_MIGRATING));
          return emulator.failNext('any', error(503, HUAWEI_CODES.DATA_MIGRATING));
        case 'rate-limited':
          return emulator.failNext('any', error(429, HUAWEI_CODES.APP_REQUEST_TOO_MANY, 1));
        case 'unavailable':
          for (let i = 0; i < 1000; i++) emulator.failNext('any', error(503, HUAWEI_CODES.DATA_MIGRATING));
          return undefined;
        case 'connection-dropped':
          return emulator.failNext('any', { kind: 'drop' });
        case 'answer-lost':
          return emulator.failNext('upload', { kind: 'drop', afterApplying: true });
        case 'partial-pages':
          return emulator.setPaging({ pageSize: 1, emptyPages: true });
        default:
          return undefined;
      }
    },
    close: () => emulator.close(),
  };
}

async function cloudKitCloud(port: number | undefined): Promise<EmulatedCloud> {
  const emulator: CloudKitEmulator = await startCloudKitEmulator({ container: CONTAINER, environment: ENVIRONMENT, ...(port !== undefined ? { port } : {}) });
  const sessions = { alice: emulator.signIn(ALICE), bob: emulator.signIn(BOB) };
  return {
    provider: 'icloud',
    cloud: `icloud+${emulator.url}/${CONTAINER}/${ENVIRONMENT}`,
    account: (who = 'alice') => emulator.userRecordName(personOf(who)),
    writeTokenFile: (path, who = 'alice') => writeFile(path, `${emulator.apiToken}\n${sessions[who]}\n`, { mode: 0o600 }),
    inject(fault) {
      switch (fault) {
        case 'storage-full':
          return emulator.setQuotaBytes(ALICE, FULL_QUOTA_BYTES);
        // 401, not 421: Node's fetch resends a 421'd request by itself, so the adapter would never see it.
        case 'token-refused-once':
          return emulator.failNext('any', { kind: 'http', status: 401, code: 'AUTHENTICATION_FAILED' });
        case 'token-revoked':
          return emulator.signOut(ALICE);
        case 'unavailable-burst':
          emulator.failNext('any', { kind: 'http', status: 503, code: 'TRY_AGAIN_LATER' });
          return emulator.failNext('any', { kind: 'http', status: 503, code: 'TRY_AGAIN_LATER' });
        case 'rate-limited':
          return emulator.failNext('any', { kind: 'http', status: 429, code: 'THROTTLED', retryAfter: 1 });
        case 'unavailable':
          for (let i = 0; i < 1000; i++) emulator.failNext('any', { kind: 'http', status: 503, code: 'TRY_AGAIN_LATER' });
          return undefined;
        case 'connection-dropped':
          return emulator.failNext('any', { kind: 'drop', when: 'before' });
        case 'answer-lost':
          return emulator.failNext('records/modify', { kind: 'drop', when: 'after' });
        case 'partial-pages':
          return emulator.partialPages(true);
        case 'zone-missing':
          return emulator.dropZone(ALICE, CLOUDKIT_ZONE);
        default:
          return undefined;
      }
    },
    close: () => emulator.close(),
  };
}

export async function startEmulatedCloud(provider: ProviderId, options: { port?: number } = {}): Promise<EmulatedCloud> {
  switch (provider) {
    case 'gdrive':
      return driveCloud(options.port);
    case 'huawei':
      return huaweiCloud(options.port);
    case 'icloud':
      return cloudKitCloud(options.port);
  }
}
