/** The test model of every released machine, in the order reports list them. Browser-safe. */
import { backupModel } from './backup-model.ts';
import type { MachineModel } from './model-types.ts';
import { offlineCopyModel } from './offline-copy-model.ts';
import { restoreModel } from './restore-model.ts';
import { providerSwitchModel } from './switch-model.ts';

export const MODELS: readonly MachineModel[] = [backupModel, restoreModel, providerSwitchModel, offlineCopyModel];
