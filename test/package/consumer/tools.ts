// A tool's use of the ./machines and ./records entries: which machine versions are released, and
// whether some bytes are a whole age file. Their types are xstate's and age-encryption's, which
// need the DOM's types; the consumer suite type-checks this file with lib DOM.
import { currentRelease, BACKUP_MACHINE_ID } from 'wallet-backup-engine/machines';
import { looksLikeWholeAgeFile } from 'wallet-backup-engine/records';

export function describeRelease(bytes: Uint8Array): string {
  const release = currentRelease(BACKUP_MACHINE_ID);
  return `${release.id} v${release.version}: ${looksLikeWholeAgeFile(bytes) ? 'an age file' : 'not an age file'}`;
}
