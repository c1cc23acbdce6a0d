import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseCliArgs } from './cli-args.js';
import { CliError } from './cli-error.js';

describe('parseCliArgs', () => {
  it('parses up with ports and a state dir', () => {
    assert.deepEqual(parseCliArgs(['up', '--state-dir', '/tmp/s', '--apiserver-port', '7443', '--etcd-port=3379'], {}), {
      command: 'up', stateDir: '/tmp/s', overrides: { apiserverPort: 7443, etcdPort: 3379 },
    });
  });

  it('defaults the state dir to $K8TS_STATE_DIR, then .k8ts', () => {
    assert.equal(parseCliArgs(['down'], { K8TS_STATE_DIR: '/x' }).stateDir, '/x');
    assert.equal(parseCliArgs(['status'], {}).stateDir, '.k8ts');
  });

  it('shows help for no command, help or -h', () => {
    for (const argv of [[], ['help'], ['up', '-h']]) assert.equal(parseCliArgs(argv, {}).command, 'help');
  });

  it('parses image load with one or more files', () => {
    assert.deepEqual(parseCliArgs(['image', 'load', 'a.tar', 'b.tar'], {}), { command: 'image-load', stateDir: '.k8ts', overrides: {}, files: ['a.tar', 'b.tar'] });
    for (const argv of [['image'], ['image', 'load'], ['image', 'save', 'x.tar']]) {
      assert.throws(() => parseCliArgs(argv, {}), (e: unknown) => e instanceof CliError && e.exitCode === 2, argv.join(' '));
    }
  });

  it('rejects unknown commands, unknown flags, bad ports and ports outside up with exit code 2', () => {
    for (const argv of [['start'], ['up', '--bogus'], ['up', '--apiserver-port', '70000'], ['up', '--etcd-port', 'x'], ['down', '--etcd-port', '1'], ['up', 'extra']]) {
      assert.throws(() => parseCliArgs(argv, {}), (e: unknown) => e instanceof CliError && e.exitCode === 2, argv.join(' '));
    }
  });
});
