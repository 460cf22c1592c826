/**
 * The version `wallet-backup --version` prints. The published CLI is one esbuild bundle
 * (scripts/build.ts) that replaces `__WALLET_BACKUP_VERSION__` with the version from
 * package.json; run from source (tsx), the identifier is undeclared and the version is read
 * from the repository's package.json instead.
 */
import { readFileSync } from 'node:fs';

declare const __WALLET_BACKUP_VERSION__: string | undefined;

export function cliVersion(): string {
  // `typeof` of an undeclared identifier is 'undefined', never a ReferenceError.
  if (typeof __WALLET_BACKUP_VERSION__ === 'string') return __WALLET_BACKUP_VERSION__;
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
