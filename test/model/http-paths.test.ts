/**
 * The model-based paths over real HTTP (issue 13 item 4): the backup and restore paths whose
 * provider is Google Drive run with the world's cloud being the Google Drive adapter talking to
 * google-drive-mock behind our fault proxy on 127.0.0.1 (test/model/harness/http-cloud.ts), instead
 * of the scripted memory cloud; every outcome the path expects is produced at the proxy. Each run
 * gets the same checks as the in-memory suite (check-run.ts: the rows, the hash chain, no secret
 * in the database, the access tokens included, the replay, a done backup restored on a second engine).
 *
 * Which paths: the shortest set of Google Drive paths that takes every transition any Google Drive
 * path takes (greedy set cover, shortest first), so the HTTP run stays short; the HMS Core paths
 * are Huawei's and keep the scripted drive (test/model/backup-paths.test.ts, restore-paths.test.ts).
 * The coverage test then checks that the engine, over HTTP, really took every one of those transitions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePaths, type ExecutedStep } from '../../src/model/index.ts';
import { coveringPaths } from './harness/covering-paths.ts';
import { startDriveEmulator, type DriveEmulator } from '../support/drive-fault-proxy.ts';
import { checkRun, disposeRun } from './harness/check-run.ts';
import { createHttpDriveCloud, type HttpCloud } from './harness/http-cloud.ts';
import { runPath } from './harness/run-path.ts';
import { ALICE } from './harness/secrets.ts';

const ALL = process.env.WBE_HTTP_PATHS === 'all';

/** The Google Drive paths to run: all of them, or the shortest ones that cover their transitions. */
function drivePaths(machineId: string) {
  return coveringPaths(machineId, generatePaths(machineId).filter((path) => path.input.provider === 'gdrive'), ALL);
}

let emulator: DriveEmulator;
beforeAll(async () => {
  emulator = await startDriveEmulator();
});
afterAll(async () => {
  await emulator.close();
});

let runs = 0;
for (const machineId of ['backup', 'restore']) {
  const { paths, transitions, of } = drivePaths(machineId);
  const executed: ExecutedStep[] = [];

  describe(`${machineId} over HTTP: ${paths.length} of the ${of} Google Drive paths, on the Drive adapter and google-drive-mock behind the fault proxy`, () => {
    it.each(paths)('$id: $description', async (path) => {
      let cloud: HttpCloud | null = null;
      runs += 1;
      const run = await runPath(path, { cloudFor: () => (cloud = createHttpDriveCloud(emulator, { run: `r${runs}`, account: ALICE })) });
      try {
        // Item 8: the access tokens join the passwords and phrases no log row may hold (check-run scans the database and its WAL).
        run.secrets.push(...cloud!.tokens());
        await checkRun(run);
        executed.push(...run.executed);
      } finally {
        await disposeRun(run);
        await cloud!.dispose();
      }
    });

    it('every transition the Google Drive paths take was taken by the real engine over HTTP', () => {
      const covered = new Set(executed.filter((step) => step.machineId === machineId).flatMap((step) => step.transitions));
      expect(transitions.size).toBeGreaterThan(0);
      expect([...transitions].filter((key) => !covered.has(key)), 'transitions no HTTP run took').toEqual([]);
    });
  });
}
