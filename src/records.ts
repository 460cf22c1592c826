/**
 * wallet-backup-engine/records: the record files themselves, for tools that read or write them
 * outside a flow (recovery helpers, format tests): whole age v1 files (age-encryption.org/v1)
 * with the scrypt stanza, keyrings, wallet records and layout-1 manifests. Its types are
 * age-encryption's, whose declarations name ReadableStream and CryptoKey: an app type-checking
 * this entry needs the DOM's types (lib "DOM") or Node's (@types/node).
 */
export * from './format/age-records.ts';
