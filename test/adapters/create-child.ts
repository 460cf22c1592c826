/**
 * Test helper run as a child process (node --import tsx): a second device on one local-folder
 * cloud. It prints "ready", then for each line "<path> <fill byte>" on stdin creates that path
 * with 4096 bytes of the fill byte and prints "created" or "exists" (or "error <message>").
 * Used by local-folder-cloud.test.ts to race create() across processes.
 */
import { createInterface } from 'node:readline';
import { createLocalFolderCloud } from '../../adapters/cloud/local-folder.ts';

const [root] = process.argv.slice(2);
if (root === undefined) throw new Error('usage: create-child.ts ROOT');
const drive = createLocalFolderCloud({ root, provider: 'gdrive', account: 'alice@example.com' });
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  const [path, fill] = line.split(' ');
  try {
    process.stdout.write(`${await drive.create(path!, new Uint8Array(4096).fill(Number(fill)))}\n`);
  } catch (error) {
    process.stdout.write(`error ${JSON.stringify(String(error))}\n`);
  }
}
