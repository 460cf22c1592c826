/**
 * The restore flow, version 2: version 1 (restore.machine.ts, unchanged) plus EFFECT.FAILED ->
 * failed on every effect (unexpected-failure.ts). Its BACKUPS.FOUND carries each wallet's id and
 * epoch only (the engine no longer logs every name of a large account; the machine never read them).
 */
import type { AnyStateMachine } from 'xstate';
import { restoreMachine } from './restore.machine.ts';
import { nextVersion } from './unexpected-failure.ts';

export const RESTORE_MACHINE_V2_VERSION = 2;

export const restoreMachineV2: AnyStateMachine = nextVersion(restoreMachine, { version: RESTORE_MACHINE_V2_VERSION });
