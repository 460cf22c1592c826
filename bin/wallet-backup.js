#!/usr/bin/env node
// The `wallet-backup` command. The engine ships as TypeScript (no build step): register tsx's
// loader first, then load the CLI; a static import would be hoisted above register().
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
