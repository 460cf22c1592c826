/**
 * The README's promises, each held by the tests named here (issue 11): the exit-code table is
 * the program's (src/cli/exit-codes.ts PROBLEMS), and every ordinary exit code is produced by a
 * test running the real binary.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEMS } from '../../src/cli/exit-codes.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function readmeExitCodes(): number[] {
  const table = README.slice(README.indexOf('| exit | meaning |'));
  const rows = table.split('\n').slice(2);
  const codes: number[] = [];
  for (const row of rows) {
    const code = /^\| (\d+) \|/.exec(row)?.[1];
    if (code === undefined) break;
    codes.push(Number(code));
  }
  return codes;
}

/** Every CLI and audit test file's text: where exit codes are asserted against the binary. */
function binaryTests(): string {
  const dirs = ['test/cli', 'test/audit'];
  return dirs.flatMap((dir) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.test.ts')).map((f) => readFileSync(join(ROOT, dir, f), 'utf8'))).join('\n');
}

describe("the README's promises", () => {
  it('distinct exit codes: the README table lists exactly the codes the program uses, plus 0', () => {
    const program = [...new Set(Object.values(PROBLEMS).map((p) => p.exitCode))].sort((a, b) => a - b);
    expect(readmeExitCodes()).toEqual([0, ...program]);
  });

  it('distinct exit codes: every code but 1 (a bug) and 130 (Ctrl-C at a prompt) is asserted by a test of the real binary', () => {
    const text = binaryTests();
    const asserted = (code: number) =>
      new RegExp(`expectExit\\([^)]*,\\s*${code}\\)|\\.code[^\\n]{0,60}\\)\\.toBe\\(${code}\\)|code: ${code}\\b`).test(text);
    const missing = readmeExitCodes().filter((code) => code !== 1 && code !== 130 && !asserted(code));
    expect(missing).toEqual([]);
  });

  it('the promises name the tests that hold them', () => {
    const promises: Array<[string, string, string]> = [
      ['nothing outside the account folder', 'test/adapters/local-folder-cloud.test.ts', 'nothing outside the account folder is ever touched'],
      ['bounded memory', 'test/cli/bounded-input.test.ts', 'bounded memory on hostile CLI input'],
      ['never a done backup that cannot be restored', 'test/concurrency/two-devices.test.ts', 'every done backup restores'],
      ['no lost causes', 'test/cli/step-failed.test.ts', 'exit 12, naming the step and the cause'],
    ];
    for (const [promise, file, name] of promises) {
      expect(readFileSync(join(ROOT, file), 'utf8'), `${promise}: ${file}`).toContain(name);
    }
  });
});
