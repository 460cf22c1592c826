/**
 * Where the story's clouds live, and how it changes the world under them (storage filling up,
 * HMS Core going missing, another account signing in):
 *
 *   local   a folder per provider and account (adapters/cloud/local-folder.ts); the world is
 *           the folder's device.json (the same thing `wallet-backup sim` edits).
 *   http    `npm start -- --http`: the Google Drive and HUAWEI Drive Kit adapters over HTTP,
 *           against their emulators on 127.0.0.1 (google-drive-mock behind our fault proxy, and
 *           our Drive Kit emulator; test/support/), started by the story and stopped at its end.
 *           The world is the emulators' state, the signed-in person's token, and the HMS Core
 *           ConnectionResult the phone's check answers.
 *
 * The http world loads the emulators (devDependencies) only when asked for.
 */
import type { CloudDrives } from '../ports/cloud-drive.ts';
import type { ProviderId } from '../ports/providers.ts';
import { createLocalFolderClouds, writeSimState } from '../../adapters/cloud/local-folder.ts';

export type HmsState = 'ok' | 'missing' | 'outdated';

export interface StoryWorld {
  /** One line for the story's opening: where the clouds are. */
  readonly where: string;
  /** A device's drives (each engine the story opens gets its own). */
  clouds(): CloudDrives;
  setQuota(provider: ProviderId, bytes: number): Promise<void>;
  setHms(provider: 'huawei', state: HmsState): Promise<void>;
  /** Who is signed in on the phone; null: the story's own person again. */
  signIn(provider: ProviderId, account: string | null): Promise<void>;
  close(): Promise<void>;
}

export function localWorld(cloudDir: string, person: string): StoryWorld {
  return {
    where: `Cloud drives (a local folder per provider and account): ${cloudDir}`,
    clouds: () => createLocalFolderClouds({ root: cloudDir, account: person }),
    setQuota: async (provider, bytes) => void (await writeSimState(cloudDir, provider, { quotaBytes: bytes })),
    setHms: async (provider, state) => void (await writeSimState(cloudDir, provider, { hms: state })),
    signIn: async (provider, account) => void (await writeSimState(cloudDir, provider, { account })),
    close: async () => undefined,
  };
}

/** HMS ConnectionResult codes (adapters/cloud/huawei-drive.ts) for the states the story sets. */
const HMS_RESULTS: Record<HmsState, number> = { ok: 0, missing: 1, outdated: 2 };

export async function httpWorld(person: string, others: readonly string[]): Promise<StoryWorld> {
  const [{ startDriveEmulator }, { startHuaweiDriveEmulator }, { createGoogleDriveCloud }, { createHuaweiDriveCloud }] = await Promise.all([
    import('../../test/support/drive-fault-proxy.ts'),
    import('../../test/support/huawei-drive-emulator.ts'),
    import('../../adapters/cloud/google-drive.ts'),
    import('../../adapters/cloud/huawei-drive.ts'),
  ]);
  const drive = await startDriveEmulator();
  const huawei = await startHuaweiDriveEmulator();
  // Each person's token on each provider (what their sign-in SDK would hand the app).
  const tokens = new Map<string, { gdrive: string; huawei: string }>();
  for (const [index, account] of [person, ...others].entries()) {
    const huaweiToken = `AT-story-${index}`;
    huawei.addToken(huaweiToken, account);
    tokens.set(account, { gdrive: drive.issueToken(account), huawei: huaweiToken });
  }
  const signedIn: Record<ProviderId, string> = { gdrive: person, huawei: person, icloud: person };
  let hms: HmsState = 'ok';
  return {
    where: `Cloud drives: Google Drive at ${drive.url} (google-drive-mock behind the fault proxy) and HUAWEI Drive Kit at ${huawei.url} (the emulator), over HTTP`,
    clouds: () => ({
      gdrive: createGoogleDriveCloud({ baseUrl: drive.url, getAccessToken: async () => tokens.get(signedIn.gdrive)!.gdrive }),
      huawei: createHuaweiDriveCloud({
        baseUrl: huawei.url,
        getAccessToken: async () => tokens.get(signedIn.huawei)!.huawei,
        checkHmsCore: async () => HMS_RESULTS[hms],
      }),
    }),
    async setQuota(provider, bytes) {
      if (provider === 'huawei') huawei.setCapacity(signedIn.huawei, bytes);
      else if (provider === 'gdrive') drive.setQuotaLimit(bytes);
      else throw new Error('The HTTP story has no iCloud emulator running.');
    },
    async setHms(_provider, state) {
      hms = state;
    },
    async signIn(provider, account) {
      signedIn[provider] = account ?? person;
    },
    async close() {
      await Promise.all([drive.close(), huawei.close()]);
    },
  };
}
