// The CRI log writer (kubelet/bin/k8ts-cri-logger) run as containerd's shim runs it: the
// container's stdout on fd 3, stderr on fd 4, a readiness pipe on fd 5, `--path FILE`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseCriLogLine } from './cri-log.js';

const LOGGER = fileURLToPath(new URL('../../bin/k8ts-cri-logger', import.meta.url));

test('k8ts-cri-logger: CRI lines per stream, partial lines flushed when idle, long lines split', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cri-logger-'));
  try {
    const path = join(dir, 'c', '0.log'); // the directory is created by the logger
    const child = spawn(LOGGER, ['--path', path], { stdio: ['ignore', 'ignore', 'inherit', 'pipe', 'pipe', 'pipe'] });
    const stdio = child.stdio as unknown as Array<NodeJS.ReadWriteStream>;
    const [out, err, ready] = [stdio[3]!, stdio[4]!, stdio[5]!];
    await new Promise<void>((r) => { ready.on('close', () => r()); ready.resume(); });
    out.write('one\ntwo\r\n');
    err.write('oops\n');
    out.write('prompt> ');
    await new Promise((r) => setTimeout(r, 900)); // > 0.5 s idle: the partial line is written
    out.write(`${'x'.repeat(20_000)}\nlast`);
    out.end();
    err.end();
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(code, 0);
    const records = (await readFile(path, 'utf8')).split('\n').filter(Boolean).map(parseCriLogLine);
    for (const r of records) assert.match(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    assert.deepEqual(records.filter((r) => r.stream === 'stderr').map((r) => r.text), ['oops']);
    const stdout = records.filter((r) => r.stream === 'stdout').map((r) => [r.partial ? 'P' : 'F', r.text.length > 20 ? `${r.text[0]}×${r.text.length}` : r.text]);
    assert.deepEqual(stdout, [['F', 'one'], ['F', 'two'], ['F', 'prompt> '], ['P', 'x×16384'], ['F', 'x×3616'], ['F', 'last']]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
