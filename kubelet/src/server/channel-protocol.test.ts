import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLOSE, ERROR, RESIZE, STDIN, STDOUT, V4, V5, exitStatus, frame, parseIncoming, parseProtocolHeader, selectProtocol,
} from './channel-protocol.js';
import { parseExecParams, parseLogParams } from './request-params.js';

describe('channel.k8s.io framing', () => {
  it('prefixes the channel byte', () => {
    assert.deepEqual([...frame(STDOUT, 'hi')], [1, 0x68, 0x69]);
    assert.deepEqual([...frame(ERROR, Buffer.alloc(0))], [3]);
  });

  it('decodes stdin, resize and the v5 close signal', () => {
    assert.deepEqual(parseIncoming(Buffer.from([STDIN, 0x61, 0x62]), V5), { kind: 'stdin', data: Buffer.from('ab') });
    assert.deepEqual(parseIncoming(Buffer.concat([Buffer.from([RESIZE]), Buffer.from('{"Width":80,"Height":24}')]), V5), { kind: 'resize', width: 80, height: 24 });
    assert.deepEqual(parseIncoming(Buffer.from([CLOSE, STDIN]), V5), { kind: 'close', channel: 0 });
  });

  it('ignores what a client may not send, and v5 signals under v4', () => {
    assert.equal(parseIncoming(Buffer.alloc(0), V5).kind, 'ignored');
    assert.equal(parseIncoming(Buffer.from([STDOUT, 1]), V5).kind, 'ignored');
    assert.equal(parseIncoming(Buffer.from([CLOSE, 0, 0]), V5).kind, 'ignored');
    assert.equal(parseIncoming(Buffer.from([CLOSE, 0]), V4).kind, 'ignored');
    assert.equal(parseIncoming(Buffer.concat([Buffer.from([RESIZE]), Buffer.from('nope')]), V5).kind, 'ignored');
  });

  it('picks the first supported protocol in client order', () => {
    assert.equal(selectProtocol(parseProtocolHeader('v5.channel.k8s.io, v4.channel.k8s.io')), V5);
    assert.equal(selectProtocol(parseProtocolHeader(['v4.channel.k8s.io', 'v5.channel.k8s.io'])), V4);
    assert.equal(selectProtocol(parseProtocolHeader('channel.k8s.io, base64.channel.k8s.io')), undefined);
    assert.equal(selectProtocol(parseProtocolHeader(undefined)), undefined);
  });

  it('reports exit codes as kubectl reads them', () => {
    assert.deepEqual(exitStatus(0, ['true']), { metadata: {}, status: 'Success' });
    const s = exitStatus(3, ['sh', '-c', 'exit 3']);
    assert.equal(s.status, 'Failure');
    assert.equal(s.reason, 'NonZeroExitCode');
    assert.deepEqual(s.details, { causes: [{ reason: 'ExitCode', message: '3' }] });
  });
});

describe('request parameters', () => {
  it('parses log options', () => {
    const p = parseLogParams(new URLSearchParams('follow=true&tailLines=5&timestamps=1&limitBytes=10&sinceSeconds=60'), () => 100_000);
    assert.deepEqual(p, { follow: true, previous: false, timestamps: true, tail: 5, limitBytes: 10, sinceTime: 40_000 });
    assert.equal(parseLogParams(new URLSearchParams('sinceTime=2024-01-01T00:00:00Z')).sinceTime, Date.UTC(2024, 0, 1));
  });

  it('rejects bad log options with 400', () => {
    for (const q of ['tailLines=-1', 'limitBytes=0', 'sinceSeconds=x', 'sinceSeconds=1&sinceTime=2024-01-01T00:00:00Z', 'sinceTime=yesterday']) {
      assert.throws(() => parseLogParams(new URLSearchParams(q)), (e: { status?: { code: number } }) => e.status?.code === 400, q);
    }
  });

  it('parses exec options under kubelet and PodExecOptions names', () => {
    assert.deepEqual(parseExecParams(new URLSearchParams('command=sh&command=-c&command=echo%20hi&input=1&output=1&error=1'), true),
      { command: ['sh', '-c', 'echo hi'], stdin: true, stdout: true, stderr: true, tty: false });
    assert.deepEqual(parseExecParams(new URLSearchParams('command=ls&stdout=true&stderr=true&tty=true'), true),
      { command: ['ls'], stdin: false, stdout: true, stderr: false, tty: true });
    assert.throws(() => parseExecParams(new URLSearchParams('stdout=1'), true), /at least one command/);
    assert.throws(() => parseExecParams(new URLSearchParams('command=ls'), true), /at least 1 of stdin/);
  });
});
