/**
 * The wait of a retry's backoff, and how a person's CANCEL cuts it short. Its own small type
 * rather than AbortController: Hermes (React Native) has no AbortController without a polyfill,
 * and the core asks for no more globals than docs/embedding.md lists. No xstate type here: the
 * engine's options name BackoffSleep, and the core entry's declarations stay free of xstate.
 */

/** Set once a person's CANCEL interrupts the wait; listeners run once, in order. */
export interface Interrupt {
  readonly interrupted: boolean;
  onInterrupt(listener: () => void): void;
}

/** Waits `ms`, or less when `interrupt` fires first; says which. */
export type BackoffSleep = (ms: number, interrupt: Interrupt) => Promise<'slept' | 'interrupted'>;

/** An interrupt and the function that fires it. */
export function createInterrupt(): { interrupt: Interrupt; fire: () => void } {
  let interrupted = false;
  const listeners: Array<() => void> = [];
  return {
    interrupt: {
      get interrupted() {
        return interrupted;
      },
      onInterrupt(listener) {
        if (interrupted) listener();
        else listeners.push(listener);
      },
    },
    fire() {
      if (interrupted) return;
      interrupted = true;
      for (const listener of listeners.splice(0)) listener();
    },
  };
}

/** setTimeout, cut short by the interrupt (Node, browsers and React Native alike). */
export const timerSleep: BackoffSleep = (ms, interrupt) =>
  new Promise((resolve) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      resolve('slept');
    }, ms);
    interrupt.onInterrupt(() => {
      if (done) return;
      clearTimeout(timer);
      resolve('interrupted');
    });
  });
