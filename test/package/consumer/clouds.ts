// An app wiring the HTTP cloud drives from ./clouds: tokens come from the app's sign-in. Type-
// checked with lib DOM (fetch's types), bundled for the browser, never run against a provider.
import { createCloudKitCloud, createGoogleDriveCloud, createHuaweiDriveCloud, DEFAULT_RETRY_POLICY, type RetryPolicy } from 'wallet-backup-engine/clouds';
import type { CloudDrive } from 'wallet-backup-engine';

export function appClouds(tokens: { cloudKitApi: string; cloudKitWeb: string; google: () => Promise<string>; huawei: () => Promise<string> }): CloudDrive[] {
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, attempts: 3 };
  return [
    createCloudKitCloud({ container: 'iCloud.com.example.wallet', environment: 'production', apiToken: tokens.cloudKitApi, webAuthToken: tokens.cloudKitWeb, retry }),
    createGoogleDriveCloud({ getAccessToken: tokens.google, retry }),
    createHuaweiDriveCloud({ getAccessToken: tokens.huawei, checkHmsCore: async () => 0, retry }),
  ];
}
