#!/usr/bin/env node
// Development launcher of the `wallet-backup` command: runs the TypeScript sources through tsx,
// as `npm run cli` does and as the CLI tests do (test/cli/cli-sandbox.ts). No package ships it:
// the published command is packages/cli (wallet-backup-cli), compiled by `npm run build`
// (docs/packages.md). tsx's loader is registered first, then the CLI is loaded; a static import
// would be hoisted above register().
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
