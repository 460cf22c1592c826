/**
 * `npm run emulators`: the three providers' emulators on 127.0.0.1, for a person at a terminal.
 *
 *   Google Drive   google-drive-mock (third-party) behind our fault proxy   port BASE+1
 *   Huawei Drive   ours, from the Drive Kit REST reference                   port BASE+2
 *   iCloud         ours, from the CloudKit Web Services reference            port BASE+3
 *   faults         POST http://127.0.0.1:BASE/faults/<provider>/<fault>      port BASE
 *
 * It writes each person's token file (alice's and bob's, mode 0600) into --dir, prints the
 * `npm run cli -- …` lines that back up, list and restore against each emulator, and injects the
 * faults of the README's fault matrix on request (the same ones the matrix test injects:
 * test/support/emulated-clouds.ts). `curl http://127.0.0.1:BASE/faults` lists them.
 * Usage: npm run emulators -- [--port-base 4800] [--dir ./emulator-tokens]
 * A development tool: it needs the devDependencies (google-drive-mock, express, cors).
 */
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROVIDERS, PROVIDER_NAMES, type ProviderId } from '../src/ports/providers.ts';
import { FAULTS, faultEnv, faultsOf, startEmulatedCloud, type EmulatedCloud, type FaultName } from '../test/support/emulated-clouds.ts';

const { values } = parseArgs({ options: { 'port-base': { type: 'string', default: '4800' }, dir: { type: 'string', default: './emulator-tokens' } } });
const base = Number(values['port-base']);
if (!Number.isInteger(base) || base < 1024 || base > 65_000) {
  console.error('--port-base must be a whole number from 1024 to 65000.');
  process.exit(2);
}
const dir = resolve(values.dir!);
mkdirSync(dir, { recursive: true, mode: 0o700 });

const clouds = new Map<ProviderId, EmulatedCloud>();
for (const [index, provider] of PROVIDERS.entries()) {
  const cloud = await startEmulatedCloud(provider, { port: base + 1 + index });
  clouds.set(provider, cloud);
  await cloud.writeTokenFile(join(dir, `${provider}-alice.token`), 'alice');
  await cloud.writeTokenFile(join(dir, `${provider}-bob.token`), 'bob');
}

const control = http.createServer((request, response) => {
  const answer = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(`${JSON.stringify(body, null, 2)}\n`);
  };
  const [, first, provider, fault] = (request.url ?? '').split('/');
  if (first !== 'faults') return answer(404, { error: 'GET /faults, or POST /faults/<provider>/<fault>' });
  if (request.method === 'GET') {
    return answer(200, Object.fromEntries(PROVIDERS.map((p) => [p, Object.fromEntries(faultsOf(p).map((f) => [f, FAULTS[f]]))])));
  }
  const cloud = clouds.get(provider as ProviderId);
  if (request.method !== 'POST' || cloud === undefined || !faultsOf(cloud.provider).includes(fault as FaultName)) {
    return answer(400, { error: 'POST /faults/<provider>/<fault>; GET /faults lists them' });
  }
  cloud.inject(fault as FaultName);
  const env = faultEnv(fault as FaultName);
  const note =
    fault === 'wrong-account'
      ? `use --token-file ${join(dir, `${provider}-bob.token`)} (bob's token) with --account ${cloud.account('alice')}`
      : Object.keys(env).length > 0
        ? `HMS Core is on the phone, not in the emulator: run the command with ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}`
        : 'injected: the next command meets it';
  return answer(200, { provider, fault, what: FAULTS[fault as FaultName], note });
});
await new Promise<void>((done) => control.listen(base, '127.0.0.1', done));

console.log(`Emulators on 127.0.0.1 (token files in ${dir}):\n`);
for (const cloud of clouds.values()) {
  const tokens = join(dir, `${cloud.provider}-alice.token`);
  const on = `--provider ${cloud.provider} --account ${cloud.account()} --cloud ${cloud.cloud} --token-file ${tokens}`;
  console.log(`${PROVIDER_NAMES[cloud.provider]}:`);
  console.log(`  npm run cli -- backup  ${on} --mnemonic-file phrase.txt --db phone.db`);
  console.log(`  npm run cli -- list    ${on} --db phone.db`);
  console.log(`  npm run cli -- restore ${on} --wallet <id> --out restored.txt --db laptop.db`);
  console.log(`  faults: curl -X POST http://127.0.0.1:${base}/faults/${cloud.provider}/<${faultsOf(cloud.provider).filter((f) => f !== 'none').join('|')}>\n`);
}
console.log(`curl http://127.0.0.1:${base}/faults lists every fault. Ctrl-C stops the emulators (their files are in memory only).`);

process.on('SIGINT', () => {
  control.close();
  void Promise.all([...clouds.values()].map((cloud) => cloud.close())).then(() => process.exit(0));
});
