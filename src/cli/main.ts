/**
 * Entry point of the `wallet-backup` command (bin/wallet-backup.js, `npm run cli`): runs the
 * command line of this process and exits with its code.
 */
import { runCli } from './run.ts';

process.exitCode = await runCli(process.argv.slice(2));
