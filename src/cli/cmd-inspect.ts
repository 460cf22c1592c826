/**
 * `wallet-backup inspect`: the offline inspector (src/inspect/server.ts) on 127.0.0.1 for the
 * event log at --db: every machine's statechart, recorded flows replayed step by step, and live
 * actors of apps connected with @statelyai/inspect. It runs until Ctrl-C (SIGINT) or SIGTERM.
 *
 * Unlike the other commands it prints while it runs (the URL, at once, to stdout): a report
 * returned at the end would come too late to be of use. With --json that is its one JSON object,
 * on one line, printed as soon as it listens: the page's URL, the apps' WebSocket URL, the host and
 * port, and the log it shows (whether it exists yet: inspect never creates it, and shows its flows
 * once another command does). A script reads that line, then stops the inspector with SIGINT or
 * SIGTERM (exit 0, nothing more on stdout).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from './cli-error.ts';
import type { CommandIo, CommandReport } from './command-io.ts';
import type { DbOption } from './options.ts';
import { safe, terminalSafeLines } from '../text/terminal-safe.ts';
import { EXIT_OK } from './exit-codes.ts';
import { JSON_BASE, printJson } from './json-output.ts';

export interface InspectOptions extends DbOption {
  port: number;
  json?: boolean;
}

/** The one address the inspector listens on (src/inspect/server.ts). */
const HOST = '127.0.0.1';

const MAX_PORT = 65535;

function untilStopped(): Promise<string> {
  return new Promise((done) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      done(signal);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

export async function inspectCommand(options: InspectOptions, io: CommandIo): Promise<CommandReport> {
  if (options.port > MAX_PORT) throw new CliError('bad-flags', { problem: `--port ${options.port} is not a TCP port (0 to ${MAX_PORT}; 0 picks a free one).` });
  const dbPath = options.db === ':memory:' ? options.db : resolve(options.db);
  // Loaded here: the server brings ws, Graphviz (WebAssembly) and SQLite.
  const { startInspectServer } = await import('../inspect/server.ts');
  let server;
  try {
    server = await startInspectServer({ dbPath, port: options.port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError('bad-flags', { problem: `Port ${options.port} on 127.0.0.1 is in use. Choose another with --port (0 picks a free one).` });
    }
    throw error;
  }
  const logExists = existsSync(dbPath);
  if (options.json === true) {
    printJson(
      {
        ok: true,
        exitCode: EXIT_OK,
        command: 'inspect',
        ...JSON_BASE,
        status: 'listening',
        url: server.url,
        inspectorUrl: server.inspectorUrl,
        host: HOST,
        port: server.port,
        log: { path: dbPath, exists: logExists },
        warnings: [],
      },
      'line',
    );
    io.say('Inspector listening; stop it with Ctrl-C (SIGINT) or SIGTERM.');
  } else {
    // Printed here, not by run.ts: so through the same boundary (--db is a flag, quoted as one field).
    process.stdout.write(
      terminalSafeLines([
        `Inspector: ${server.url}`,
        safe`Event log: ${dbPath}${logExists ? '' : ' (not created yet: flows appear once it is)'}`,
        `Live mode: apps connect with createWebSocketInspector({ url: '${server.inspectorUrl}' }) from @statelyai/inspect.`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n')),
    );
  }
  const signal = await untilStopped();
  await server.close();
  return { lines: [`Inspector stopped (${signal}).`], warnings: [], json: { url: server.url }, jsonPrinted: true };
}
