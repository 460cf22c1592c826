/**
 * wallet-backup-engine/machines: the released machines and what reads logs with them, for tools
 * (audit, inspectors, diagrams) rather than for a wallet's backup screen.
 *
 * The machines (pure XState v5 statecharts) and their registry, replay of a logged flow, the log
 * check and the streaming audit. Its types are xstate's, whose declarations name AbortSignal, so
 * an app type-checking this entry needs the DOM's or Node's types (lib "DOM", or @types/node);
 * xstate 5's own declarations also fail exactOptionalPropertyTypes with skipLibCheck off.
 */
export * from '../machines/index.ts';
export { activeMeta } from './engine/flow-runner.ts';
export { INIT_EVENT_TYPE, encodeStateValue, replayFlow, type ReplayProblem, type ReplayResult } from './log/replay.ts';
export { checkLog, type FlowReplayFailure, type LogCheck } from './log/check-log.ts';
export * from './audit/index.ts';
