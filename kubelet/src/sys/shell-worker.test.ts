import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ShellWorker } from './shell-worker.js';

test('shell worker: runs scripts in order with their arguments, output and exit code', async () => {
  const w = new ShellWorker();
  try {
    const [a, b, c] = await Promise.all([
      w.run('echo "one $1"; echo err >&2', ["it's"]),
      w.run('set -e; false; echo never'),
      w.run('printf "%s|" "$@"', ['a b', '', "q'uote", '$(x)']),
    ]);
    assert.deepEqual([a.code, a.stdout], [0, "one it's\nerr\n"]);
    assert.deepEqual([b.code, b.stdout], [1, '']);
    assert.deepEqual([c.code, c.stdout], [0, "a b||q'uote|$(x)|"]);
    // `exit` and `set -e` stay inside the script's subshell
    assert.equal((await w.run('exit 7')).code, 7);
    assert.equal((await w.run('echo ok')).stdout, 'ok\n');
    // output without a final newline, and a line that looks like a marker but is not ours
    assert.equal((await w.run('printf "no newline"')).stdout, 'no newline');
    assert.equal((await w.run('printf "\\n\\036fake 1 0\\nafter"')).stdout, '\n\x1efake 1 0\nafter');
  } finally {
    w.close();
  }
});

test('shell worker: a script past its timeout resolves 124 and the next one gets a new shell', async () => {
  const w = new ShellWorker();
  try {
    const slow = await w.run('sleep 5; echo late', [], 200);
    assert.equal(slow.code, 124);
    assert.equal((await w.run('echo $((1 + 1))')).stdout, '2\n');
    // a script that kills its shell: code 125, then work goes on
    const dead = await w.run('kill -9 $$; sleep 1'); // $$ in a subshell: the worker shell itself
    assert.equal(dead.code, 125);
    assert.equal((await w.run('echo back')).stdout, 'back\n');
  } finally {
    w.close();
  }
  await assert.rejects(w.run('true'), /closed/);
});
