/**
 * Live mode's relay: turns what apps send with @statelyai/inspect's `createWebSocketInspector`
 * (JSON `@xstate.actor` / `@xstate.event` / `@xstate.snapshot` messages) into the page's live
 * messages, and keeps the latest ones so a page opened later sees what already ran.
 *
 * Only non-secret facts reach the page: the machine, the state value and, for a transition, the
 * event passed through the engine's redaction allowlist (the same one as the log). Contexts and
 * machine definitions are never forwarded. Messages that are not inspection events are ignored.
 */
import type { AnyStateMachine, StateValue } from 'xstate';
import { findMachine } from '../../machines/registry.ts';
import { createRedactor } from '../log/redact.ts';
import { LOGGED_EVENT_FIELDS } from '../engine/redaction-rules.ts';
import { activeNodeIds, leafIds, outcomeOf, takenEdgeIds } from './state-ids.ts';

export interface LiveMessage {
  kind: 'actor' | 'transition';
  sessionId: string;
  machineId: string;
  machineVersion: number | null;
  /** True when the machine is a released one (the page has its diagram). */
  known: boolean;
  event: string | null;
  payload: Record<string, unknown>;
  state: StateValue | null;
  status: string;
  outcome: string | null;
  activeIds: string[];
  leafIds: string[];
  edgeIds: string[];
  at: string;
}

interface Actor {
  machineId: string;
  machineVersion: number | null;
  machine: AnyStateMachine | null;
  state: StateValue | null;
}

const redact = createRedactor(LOGGED_EVENT_FIELDS);
const KEEP = 1000;

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The machine id and version an `@xstate.actor` message's definition names. */
function identify(message: Record<string, unknown>): { id: string; version: number | null } {
  let definition: Record<string, unknown> = {};
  try {
    definition = record(typeof message.definition === 'string' ? JSON.parse(message.definition) : null);
  } catch (error) {
    // A definition that does not parse only costs the diagram.
    if (!(error instanceof SyntaxError)) throw error;
  }
  const id = typeof definition.id === 'string' ? definition.id : typeof message.name === 'string' ? message.name : 'unknown';
  const version = Number(definition.version);
  return { id, version: Number.isSafeInteger(version) ? version : null };
}

function timeOf(message: Record<string, unknown>): string {
  const millis = Number(message.createdAt);
  return new Date(Number.isFinite(millis) && millis > 0 ? millis : Date.now()).toISOString();
}

export class LiveRelay {
  private readonly actors = new Map<string, Actor>();
  private readonly kept: LiveMessage[] = [];

  /** The messages kept so far, oldest first. */
  history(): readonly LiveMessage[] {
    return this.kept;
  }

  /**
   * Handles one text frame from an inspector; returns the page message it makes, if any.
   * `connection` names the app's connection: XState numbers actors per process ("x:0", ...), so
   * two apps, or one app run twice, reuse session ids.
   */
  accept(text: string, connection: string): LiveMessage | null {
    let message: Record<string, unknown>;
    try {
      message = record(JSON.parse(text));
    } catch (error) {
      // Not JSON: not an inspection event.
      if (error instanceof SyntaxError) return null;
      throw error;
    }
    if (typeof message.sessionId !== 'string') return null;
    const sessionId = `${connection}/${message.sessionId}`;
    if (message.type === '@xstate.actor') return this.keep(this.onActor(sessionId, message));
    if (message.type === '@xstate.snapshot') return this.keep(this.onSnapshot(sessionId, message));
    return null;
  }

  private keep(message: LiveMessage | null): LiveMessage | null {
    if (message === null) return null;
    this.kept.push(message);
    if (this.kept.length > KEEP) this.kept.shift();
    return message;
  }

  private onActor(sessionId: string, message: Record<string, unknown>): LiveMessage | null {
    if (this.actors.has(sessionId)) return null;
    const { id, version } = identify(message);
    const found = version === null ? null : findMachine(id, version);
    // The state comes with the actor's first snapshot (its xstate.init): the snapshot inside this
    // message is read when the inspector gets round to sending it, possibly transitions later.
    const actor: Actor = { machineId: id, machineVersion: version, machine: found?.ok ? found.machine : null, state: null };
    this.actors.set(sessionId, actor);
    return this.view('actor', sessionId, actor, null, {}, 'active', [], timeOf(message));
  }

  private onSnapshot(sessionId: string, message: Record<string, unknown>): LiveMessage | null {
    const actor = this.actors.get(sessionId);
    if (!actor) return null;
    const snapshot = record(message.snapshot);
    const event = record(message.event);
    const type = typeof event.type === 'string' && event.type !== '' ? event.type : null;
    const from = actor.state;
    actor.state = 'value' in snapshot ? (snapshot.value as StateValue) : from;
    const edges = actor.machine && type && from !== null && actor.state !== null ? takenEdgeIds(actor.machine, from, type, actor.state) : [];
    // xstate.init carries the flow's input: its fields are redacted as the log's row 0 is.
    const fields = type === 'xstate.init' ? record(event.input) : event;
    const payload = type ? redact({ ...fields, type }) : {};
    return this.view('transition', sessionId, actor, type, payload, String(snapshot.status ?? 'active'), edges, timeOf(message));
  }

  private view(
    kind: LiveMessage['kind'],
    sessionId: string,
    actor: Actor,
    event: string | null,
    payload: Record<string, unknown>,
    status: string,
    edgeIds: string[],
    at: string,
  ): LiveMessage {
    const active = actor.machine ? activeNodeIds(actor.machine, actor.state) : [];
    return {
      kind,
      sessionId,
      machineId: actor.machineId,
      machineVersion: actor.machineVersion,
      known: actor.machine !== null,
      event,
      payload,
      state: actor.state,
      status,
      outcome: actor.machine ? outcomeOf(actor.machine, actor.state) : null,
      activeIds: active,
      leafIds: leafIds(active),
      edgeIds,
      at,
    };
  }
}
