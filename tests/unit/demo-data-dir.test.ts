import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MARKER, DemoDataDirError, prepareDemoDataDir } from '../../scripts/demo-data-dir';

/** `npm run demo` only ever replaces books it made itself, in a directory nobody else is using. */
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cronfa-demo-dir-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the demo data directory', () => {
  it('creates a new directory and marks it as the demo’s', () => {
    const dir = join(root, 'demo');
    prepareDemoDataDir(dir);
    expect(existsSync(join(dir, DEMO_MARKER))).toBe(true);
  });

  it('refuses a directory holding other books, and leaves every file in it', () => {
    const dir = join(root, 'walkthrough');
    mkdirSync(join(dir, 'pgdata'), { recursive: true });
    writeFileSync(join(dir, 'pgdata', 'PG_VERSION'), '17');
    expect(() => prepareDemoDataDir(dir)).toThrow(DemoDataDirError);
    expect(readFileSync(join(dir, 'pgdata', 'PG_VERSION'), 'utf8')).toBe('17');
    expect(existsSync(join(dir, DEMO_MARKER))).toBe(false);
  });

  it('replaces only its own books in its own directory, keeping anything else put there', () => {
    const dir = join(root, 'demo');
    prepareDemoDataDir(dir);
    mkdirSync(join(dir, 'pgdata'));
    writeFileSync(join(dir, 'pgdata', 'PG_VERSION'), '17');
    writeFileSync(join(dir, 'bank-export-lloyds.csv'), 'old');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    rmSync(join(dir, 'cronfa.pid'));
    prepareDemoDataDir(dir);
    expect(existsSync(join(dir, 'pgdata'))).toBe(false);
    expect(existsSync(join(dir, 'bank-export-lloyds.csv'))).toBe(false);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('refuses its own directory while a running process holds it, deleting nothing', async () => {
    const dir = join(root, 'demo');
    prepareDemoDataDir(dir);
    mkdirSync(join(dir, 'pgdata'));
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    try {
      await new Promise((resolve) => holder.once('spawn', resolve));
      writeFileSync(join(dir, 'cronfa.pid'), String(holder.pid));
      expect(() => prepareDemoDataDir(dir)).toThrow(/in use by process/);
      expect(existsSync(join(dir, 'pgdata'))).toBe(true);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
