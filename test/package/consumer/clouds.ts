// An app wiring the HTTP cloud drives from ./clouds: tokens come from the app's sign-in. Type-
// checked with lib DOM (fetch's types), bundled for the browser, never run against a provider.
import { createCloudKitCloud, createGoogleDriveCloud, createHuaweiDriveCloud, DEFAULT_RETRY_POLICY, type RetryPolicy } from 'wallet-backup-engine/clouds';
import type { CloudDrive } from 'wallet-backup-engine';

/** The retry policy goes to the engine (createBackupEngine's `retry`); the drives try each call once. */
export const appRetry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, attempts: 3 };

export function appClouds(tokens: { cloudKitApi: string; cloudKitWeb: string; google: () => Promise<string>; huawei: () => Promise<string> }): CloudDrive[] {
  return [
    createCloudKitCloud({ container: 'iCloud.com.example.wallet', environment: 'production', apiToken: tokens.cloudKitApi, webAuthToken: tokens.cloudKitWeb }),
    createGoogleDriveCloud({ getAccessToken: tokens.google }),
    createHuaweiDriveCloud({ getAccessToken: tokens.huawei, checkHmsCore: async () => 0 }),
  ];
}
