/**
 * Variants of a released machine for tests that must see the checks fail: a changed target, a
 * removed guard, an extra state or transition. The config is copied along the edited path only
 * (actions and guards are functions and stay shared); the implementations (named guards and
 * actions) are the original's. The variant keeps the machine's id, so logs and coverage name it
 * like the release.
 */
import { createMachine, type AnyStateMachine } from 'xstate';

type Config = Record<string, unknown>;

/** A copy of `config` with the value at `path` (keys from the root config) replaced by `edit(old)`. */
function editAt(config: Config, path: readonly string[], edit: (old: unknown) => unknown): Config {
  const [key, ...rest] = path;
  if (key === undefined) return edit(config) as Config;
  const child = config[key];
  return { ...config, [key]: rest.length === 0 ? edit(child) : editAt((child ?? {}) as Config, rest, edit) };
}

export function mutateMachine(machine: AnyStateMachine, path: readonly string[], edit: (old: unknown) => unknown): AnyStateMachine {
  const config = editAt(machine.config as Config, path, edit);
  return createMachine(config as never, machine.implementations as never) as unknown as AnyStateMachine;
}
