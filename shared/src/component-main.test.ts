import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';

const mod = new URL('./component-main.js', import.meta.url).href;
const flags = new URL('./flags.js', import.meta.url).href;

/** Runs a tiny component built on runComponentMain; resolves its exit code and output. */
function run(args: string[], body: string, signalAfterMs?: number): Promise<{ code: number | null; out: string; err: string }> {
  const script = `
    import { runComponentMain } from ${JSON.stringify(mod)};
    import { FlagError } from ${JSON.stringify(flags)};
    process.env.LOG_LEVEL = 'info';
    ${body}`;
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['--input-type=module', '-e', script, '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { err += d; });
    if (signalAfterMs !== undefined) setTimeout(() => c.kill('SIGTERM'), signalAfterMs);
    c.on('close', (code) => resolve({ code, out, err }));
  });
}

const component = (start: string) => `
  await runComponentMain({
    name: 'demo', usage: 'USAGE TEXT\\n',
    parseFlags: (argv) => { if (argv.includes('--bad')) throw new FlagError('bad flag'); return { help: argv.includes('--help') }; },
    start: ${start},
  }, process.argv.slice(1)); // node -e: argv[1] is the first argument`;

test('component main: bad flags exit 2 with the usage, --help exits 0, a failed start exits 1', async () => {
  const ok = 'async () => ({ close() {} })';
  const bad = await run(['--bad'], component(ok));
  assert.equal(bad.code, 2);
  assert.match(bad.err, /bad flag\n\nUSAGE TEXT/);
  const help = await run(['--help'], component(ok));
  assert.equal(help.code, 0);
  assert.equal(help.out, 'USAGE TEXT\n');
  const failed = await run([], component(`async () => { throw new Error('no etcd'); }`));
  assert.equal(failed.code, 1);
  assert.match(failed.err, /demo failed to start/);
});

test('component main: an unhandled rejection is logged and the process keeps serving until SIGTERM, which closes it', async () => {
  const r = await run([], component(`async (f, log) => {
    setTimeout(() => Promise.reject(new Error('lost work')), 10);
    const t = setInterval(() => {}, 1000);
    return { close: async () => { clearInterval(t); process.stdout.write('CLOSED\\n'); } };
  }`), 800);
  assert.equal(r.code, 0);
  assert.match(r.err, /unhandled rejection; continuing/); // logs go to stderr
  assert.match(r.out, /CLOSED/);
});
