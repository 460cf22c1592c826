/**
 * wallet-backup-engine/clouds: the cloud drives over the providers' own HTTP APIs, using
 * `fetch` only (browsers, React Native, Node): iCloud through CloudKit Web Services, Google
 * Drive (API v3, appDataFolder) and HUAWEI Drive Kit (issue 13), and the react-native-cloud-storage
 * file bridge. The app supplies the tokens. Their options name
 * `fetch`, so an app type-checking this entry needs fetch's types (lib "DOM", React Native's or
 * @types/node). Adapters try each call once; retries are the engine's (its `retry` option).
 */
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './ports/retry.ts';
export {
  CLOUDKIT_BASE_URL,
  CLOUDKIT_ZONE,
  CLOUDKIT_RECORD_TYPE,
  createCloudKitCloud,
  type CloudKitCloud,
  type CloudKitCloudOptions,
} from '../adapters/cloud/cloudkit.ts';
export { HUAWEI_DRIVE_BASE_URL, HMS_CONNECTION_RESULT, hmsStateOf, createHuaweiDriveCloud, type HuaweiDriveOptions } from '../adapters/cloud/huawei-drive.ts';
export { createGoogleDriveCloud, type GoogleDriveOptions } from '../adapters/cloud/google-drive.ts';
export { createRnCloudStorageDrive, type CloudStorageFiles, type RnCloudStorageOptions } from '../adapters/cloud/rn-cloud-storage.ts';
