/** The machine a run came from: printed above the table and kept in --json. */
import { createRequire } from 'node:module';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import Database from 'better-sqlite3';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  betterSqlite3: string;
  sqlite: string;
  tmpdir: string;
  /** 1-minute load average when the run started: the machine may be shared. */
  loadAverage: number;
}

export function machineInfo(): MachineInfo {
  const require = createRequire(import.meta.url);
  const { version: betterSqlite3 } = require('better-sqlite3/package.json') as { version: string };
  const db = new Database(':memory:');
  const sqlite = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  db.close();
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    betterSqlite3,
    sqlite,
    tmpdir: tmpdir(),
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  };
}

export function machineLine(m: MachineInfo): string {
  return (
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, better-sqlite3 ${m.betterSqlite3}, ` +
    `SQLite ${m.sqlite}; temp dir ${m.tmpdir}; load average ${m.loadAverage} at start`
  );
}
