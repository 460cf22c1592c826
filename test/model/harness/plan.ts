/**
 * What a path needs from the world, read from the path's own steps: the phrase to back up, the
 * backups Alice has in the cloud when a step needs them (a keyring to find, a wallet to restore,
 * a second wallet whose record can be moved), whether this device's log knows another account's
 * backups (R11 guidance), and the provider this device's log has made active (R15).
 */
import type { ProviderId } from '../../../machines/events.ts';
import type { ModelPath } from '../../../src/model/index.ts';
import { BOB, INVALID_MNEMONICS, MNEMONIC_12, OTHER_12, PHRASE_OF_LENGTH } from './secrets.ts';

export interface PathPlan {
  /** Backup flows: the phrase typed in. */
  mnemonic: string | null;
  /** Phrases Alice backed up elsewhere (epoch 1, PASSWORD), made when a step first needs them (world.ts). */
  existing: string[];
  /** An account this device's log saw backing up to the provider before the flow. */
  deviceBackupBy: string | null;
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
      : (PHRASE_OF_LENGTH[first?.words as number] ?? MNEMONIC_12);
  // PROVIDER.INACTIVE is arranged when it is due (world.ts): the person switches meanwhile.
  return { mnemonic, existing: [OTHER_12], deviceBackupBy: null, activeBefore: null };
}

function restorePlan(path: ModelPath): PathPlan {
  const words = path.steps.find((s) => s.event.type === 'MNEMONIC.VALID')?.event.words as number | undefined;
  const target = PHRASE_OF_LENGTH[words ?? 12] ?? MNEMONIC_12;
  const moved = has(path, 'RECORD.CORRUPT', (e) => e.reason === 'metadata-mismatch');
  const knownElsewhere = has(path, 'BACKUPS.NONE', (e) => (e.knownAccounts as string[]).length > 0);
  return { mnemonic: null, existing: [target, ...(moved ? [OTHER_12] : [])], deviceBackupBy: knownElsewhere ? BOB : null, activeBefore: null };
}

export function planFor(path: ModelPath): PathPlan {
  switch (path.machineId) {
    case 'backup':
      return backupPlan(path);
    case 'restore':
      return restorePlan(path);
    case 'providerSwitch':
      return { mnemonic: null, existing: [], deviceBackupBy: null, activeBefore: (path.input.from as ProviderId | null) ?? null };
    default:
      return { mnemonic: null, existing: [], deviceBackupBy: null, activeBefore: null };
  }
}
