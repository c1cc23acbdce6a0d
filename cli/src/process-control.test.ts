import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isOurProcess, readPidFile, runningPid, spawnDetached, stopProcess } from './process-control.js';

describe('process control', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'k8ts-proc-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  const nodeScript = (code: string, tag: string) => ({
    command: process.execPath,
    args: ['-e', code, tag],
    logFile: join(dir, 'logs', `${tag}.log`),
    pidFile: join(dir, 'run', `${tag}.pid`),
  });

  it('starts a detached process with output in its log, and stops it with SIGTERM', async () => {
    const spec = nodeScript("console.log('hello from child'); process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); setInterval(() => {}, 1000);", 'polite-' + dir);
    const pid = await spawnDetached(spec);
    assert.equal(await readPidFile(spec.pidFile), pid);
    const markers = ['polite-' + dir];
    assert.equal(await runningPid(spec.pidFile, markers), pid);
    await new Promise((r) => setTimeout(r, 300));
    const res = await stopProcess(spec.pidFile, markers, 5_000);
    assert.deepEqual(res, { outcome: 'stopped', pid });
    assert.equal(await isOurProcess(pid, markers), false);
    assert.equal(await readPidFile(spec.pidFile), undefined);
    const log = await readFile(spec.logFile, 'utf8');
    assert.match(log, /=== k8ts: starting /);
    assert.match(log, /hello from child/);
    assert.match(log, /bye/);
  });

  it('SIGKILLs a process that ignores SIGTERM after the grace period', async () => {
    const spec = nodeScript("process.on('SIGTERM', () => {}); console.log('handler' + '-ready'); setInterval(() => {}, 1000);", 'stubborn-' + dir);
    const pid = await spawnDetached(spec);
    // wait until the child really ignores SIGTERM (node may take a while to start under load)
    for (let i = 0; i < 200; i++) {
      const log = await readFile(spec.logFile, 'utf8').catch(() => '');
      if (log.includes('handler-ready')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const res = await stopProcess(spec.pidFile, ['stubborn-' + dir], 300);
    assert.deepEqual(res, { outcome: 'killed', pid });
  });

  it('never treats or signals a pid whose command line lacks the markers', async () => {
    const spec = nodeScript('setInterval(() => {}, 1000);', 'bystander-' + dir);
    const pid = await spawnDetached(spec);
    try {
      assert.equal(await runningPid(spec.pidFile, ['some-other-component']), undefined);
      assert.deepEqual(await stopProcess(spec.pidFile, ['some-other-component'], 100), { outcome: 'not-running' });
      assert.equal(await isOurProcess(pid, ['bystander-' + dir]), true, 'still alive');
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });

  it('ignores pid files with garbage or a dead pid', async () => {
    const f = join(dir, 'run', 'garbage.pid');
    await writeFile(f, 'not a pid\n');
    assert.equal(await runningPid(f, []), undefined);
    await writeFile(f, '4194303\n');
    assert.equal(await runningPid(f, []), undefined);
    assert.deepEqual(await stopProcess(f, []), { outcome: 'not-running' });
  });
});
