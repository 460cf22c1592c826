/**
 * `npm start -- --inspect`: the story with the inspector live. Starts the inspect server
 * in-process on the story's event log (port 4747, or a free one when that is taken), connects an
 * @statelyai/inspect WebSocket inspector to it for the story's engines, and prints the URL.
 *
 * On a terminal the story waits (up to 30 s) for the page to open, so it can be watched from the
 * first transition, and afterwards the server keeps serving until Ctrl-C so the flows can be
 * replayed. Without a terminal (scripts, CI) nothing waits: the server lingers two seconds, then
 * closes.
 */
import { createWebSocketInspector } from '@statelyai/inspect';
import type { BackupEngineOptions } from '../engine/index.ts';
import { startInspectServer, type InspectServer } from './server.ts';

export interface StoryInspector {
  /** For createBackupEngine's `inspect` option. */
  inspect: NonNullable<BackupEngineOptions['inspect']>;
  /** After the story: lets the last events through, then serves until Ctrl-C (on a terminal). */
  finish(): Promise<void>;
}

const PREFERRED_PORT = 4747;
const WAIT_FOR_PAGE_MS = 30_000;
const LINGER_MS = 2_000;

async function startServer(dbPath: string): Promise<InspectServer> {
  try {
    return await startInspectServer({ dbPath, port: PREFERRED_PORT });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return startInspectServer({ dbPath, port: 0 });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startStoryInspector(dbPath: string, say: (line: string) => void = console.log): Promise<StoryInspector> {
  const server = await startServer(dbPath);
  const inspector = createWebSocketInspector({ url: server.inspectorUrl });
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  say(`Inspector (live): ${server.url}#view=live`);
  if (interactive) {
    say(`Open it to watch the story; it starts when the page connects, or in ${WAIT_FOR_PAGE_MS / 1000} s.`);
    await server.waitForPage(WAIT_FOR_PAGE_MS);
  }
  return {
    inspect: inspector.inspect,
    async finish() {
      // The inspector sends from a timer after each transition: let the last ones through.
      await sleep(interactive ? 200 : LINGER_MS);
      if (interactive) {
        say(`\nThe inspector keeps serving at ${server.url} (Replay shows every flow of the story). Press Ctrl-C to stop.`);
        await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      }
      inspector.stop();
      await server.close();
    },
  };
}
