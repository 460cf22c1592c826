/**
 * The record format of wallet-backup-engine: age v1 files (age-encryption.org/v1), BIP39
 * mnemonics, the cloud layout and the manifest. Browser-safe: no Node-only module anywhere
 * under src/format (the scrypt runs behind the ScryptKdf port).
 */
export * from './plain.ts';
export * from './age-records.ts';
