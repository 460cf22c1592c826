/**
 * Keeps a long streaming pass's heap at its live size (Node only; issue 6: audit's peak RSS stays
 * under 200 MB whatever the log's size).
 *
 * Audit keeps little alive (one snapshot per open flow, a bounded history) but throws away about
 * a kilobyte per row. The faster it runs, the more V8 lets the old generation grow before a full
 * collection: on a 1,000,000-row log the heap reached five times its live size and the process
 * 220 MB. A full collection every FULL_GC_EVERY rows (a few percent of the run's time) keeps it
 * near the live size (180 MB). Node offers the collector only behind --expose-gc, which a CLI
 * cannot demand of its users: the flag is set at run time and `gc` taken from a new context, which
 * is where V8 installs it. Node's docs call flags changed after start unpredictable, so if no `gc`
 * appears the pass simply runs without it (slower to shrink, never wrong).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const FULL_GC_EVERY = 32_768;

function garbageCollector(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
  return typeof gc === 'function' ? (gc as () => void) : () => {};
}

/** Returns a progress callback (rows done) that collects garbage every FULL_GC_EVERY rows. */
export function steadyHeap(): (rowsDone: number) => void {
  const gc = garbageCollector();
  let next = FULL_GC_EVERY;
  return (rowsDone) => {
    if (rowsDone < next) return;
    next = rowsDone + FULL_GC_EVERY;
    gc();
  };
}
