// The list `continue` token: the etcd revision the first page was read at and the key to
// resume from, base64-encoded JSON. A token whose revision etcd has compacted answers 410.
import { Errors } from '@k8ts/shared';

export interface ContinueToken { rev: string; start: string; }

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'k8ts/1', rv: t.rev, start: t.start })).toString('base64url');
}

export function decodeContinue(token: string, prefix: string): ContinueToken {
  try {
    const raw = JSON.parse(Buffer.from(token, 'base64url').toString()) as { v?: string; rv?: string; start?: string };
    if (raw.v !== 'k8ts/1' || typeof raw.rv !== 'string' || !/^\d+$/.test(raw.rv) || typeof raw.start !== 'string') throw new Error('shape');
    if (!raw.start.startsWith(prefix)) throw new Error('prefix');
    return { rev: raw.rv, start: raw.start };
  } catch {
    throw Errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}
