// Preloaded into a CLI child process (node --import THIS bin/wallet-backup.js ...) by
// bounded-input.test.ts: when the process exits, writes its peak resident set size in bytes
// (getrusage's ru_maxrss, measured by the kernel) to the file named by WBE_MAX_RSS_FILE.
import { writeFileSync } from 'node:fs';

const target = process.env.WBE_MAX_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS * 1024)));
