/**
 * What a path needs from the world before its flow starts, read from the path's own steps:
 * the phrase to back up, the backups already in the cloud (a keyring to find, a wallet to
 * restore, a second wallet whose record can be moved), whether this device's log knows them
 * (R11 guidance), and the provider this device's log has already made active (R15).
 */
import type { ProviderId } from '../../../machines/events.ts';
import type { ModelPath } from '../../../src/model/index.ts';
import { INVALID_MNEMONICS, MNEMONIC_12, MNEMONIC_24, OTHER_12, OTHER_24 } from './secrets.ts';

export interface PathPlan {
  /** Backup flows: the phrase typed in. */
  mnemonic: string | null;
  /** Phrases already backed up under Alice with PASSWORD (epoch 1), in order; none when empty. */
  existing: string[];
  /** The existing backups were made on this device (its log knows Alice, R11). */
  existingOnDevice: boolean;
  /** A completed switch to this provider is in the device's log before the flow (the switch's `from`). */
  activeBefore: ProviderId | null;
}

const has = (path: ModelPath, type: string, test: (e: Record<string, unknown>) => boolean = () => true) =>
  path.steps.some((s) => s.event.type === type && test(s.event));

function backupPlan(path: ModelPath): PathPlan {
  const first = path.steps[1]?.event;
  const mnemonic =
    first?.type === 'MNEMONIC.INVALID'
      ? INVALID_MNEMONICS[first.reason as keyof typeof INVALID_MNEMONICS]
      : first?.words === 24
        ? MNEMONIC_24
        : MNEMONIC_12;
  const keyringThere = has(path, 'KEYRING.FOUND') || has(path, 'KEYRING.CORRUPT');
  return {
    mnemonic,
    existing: keyringThere ? [first?.words === 24 ? OTHER_24 : OTHER_12] : [],
    existingOnDevice: false,
    // PROVIDER.INACTIVE is arranged when it is due (world.ts): the person switches meanwhile.
    activeBefore: null,
  };
}

function restorePlan(path: ModelPath): PathPlan {
  const knownElsewhere = has(path, 'BACKUPS.NONE', (e) => (e.knownAccounts as string[]).length > 0);
  const needsBackups = has(path, 'BACKUPS.FOUND') || has(path, 'MANIFEST.CORRUPT') || knownElsewhere;
  const target = has(path, 'MNEMONIC.VALID', (e) => e.words === 24) ? MNEMONIC_24 : MNEMONIC_12;
  const moved = has(path, 'RECORD.CORRUPT', (e) => e.reason === 'metadata-mismatch');
  return {
    mnemonic: null,
    existing: needsBackups ? [target, ...(moved ? [OTHER_12] : [])] : [],
    existingOnDevice: knownElsewhere,
    activeBefore: null,
  };
}

export function planFor(path: ModelPath): PathPlan {
  switch (path.machineId) {
    case 'backup':
      return backupPlan(path);
    case 'restore':
      return restorePlan(path);
    case 'providerSwitch':
      return { mnemonic: null, existing: [], existingOnDevice: false, activeBefore: (path.input.from as ProviderId | null) ?? null };
    default:
      return { mnemonic: null, existing: [], existingOnDevice: false, activeBefore: null };
  }
}
