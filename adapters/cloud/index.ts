/**
 * The cloud-drive adapters: the local-folder drive (Node, the embedded default), the in-memory
 * drive with fault injection (tests), HUAWEI Drive Kit over fetch, plus the path rules and errors
 * they share.
 *
 * This barrel pulls in node:fs through the local-folder adapter. Browser or React Native code
 * imports ./memory.ts, ./huawei-drive.ts, ./paths.ts and ./drive-errors.ts directly, which have no node imports.
 */
export {
  accountFolder,
  accountFolderName,
  createLocalFolderCloud,
  createLocalFolderClouds,
  DEFAULT_QUOTA_BYTES,
  DEFAULT_SIM_STATE,
  deviceFile,
  readSimState,
  writeSimState,
  type LocalFolderCloudOptions,
  type LocalSimPatch,
  type LocalSimState,
} from './local-folder.ts';
export {
  createMemoryCloud,
  createMemoryClouds,
  MEMORY_DEFAULT_QUOTA_BYTES,
  type DriveOp,
  type FaultControl,
  type MemoryCloud,
  type MemoryCloudOptions,
  type MemoryDevice,
  type MemoryFiles,
  type ScriptedFaultOptions,
} from './memory.ts';
export { checkDrivePath, checkDrivePrefix, isDrivePath, TEMP_NAME_PREFIX } from './paths.ts';
export { HMS_MISSING_FIX, HMS_OUTDATED_FIX } from './drive-errors.ts';
export {
  createHuaweiDriveCloud,
  HMS_CONNECTION_RESULT,
  hmsStateOf,
  HUAWEI_DRIVE_BASE_URL,
  type HuaweiDriveOptions,
} from './huawei-drive.ts';
