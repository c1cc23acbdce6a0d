// Authentication: bearer tokens from a static token file (upstream's --token-auth-file CSV:
// token,user,uid,"group1,group2") and, when a client CA is configured, client
// certificates (CN = user, O = groups). Anonymous requests are refused (401) except for the
// health and version endpoints. Authorization (RBAC) is not implemented: every
// authenticated user may do everything.
import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

export interface UserInfo { name: string; uid?: string; groups: string[]; }

export interface Authenticator { authenticate(req: IncomingMessage): UserInfo | undefined; }

export const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/livez', '/version', '/version/']);

export function parseTokenFile(text: string): Map<string, UserInfo> {
  const out = new Map<string, UserInfo>();
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (!l || l.startsWith('#')) continue;
    const cols = splitCsv(l);
    if (cols.length < 3) continue;
    const [token, name, uid, groups] = cols as [string, string, string, string?];
    out.set(token, { name, uid, groups: groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [] });
  }
  return out;
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = ''; let q = false;
  for (const ch of line) {
    if (ch === '"') { q = !q; continue; }
    if (ch === ',' && !q) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur);
  return out;
}

export function createAuthenticator(opts: { tokenFile?: string; clientCA?: boolean; tokens?: Map<string, UserInfo> }): Authenticator {
  const tokens = opts.tokens ?? (opts.tokenFile ? parseTokenFile(readFileSync(opts.tokenFile, 'utf8')) : new Map<string, UserInfo>());
  const tokenList = [...tokens.entries()].map(([t, u]) => [Buffer.from(t), u] as const);
  return {
    authenticate(req) {
      const h = req.headers.authorization;
      if (h && /^bearer /i.test(h)) {
        const given = Buffer.from(h.slice(7).trim());
        for (const [t, u] of tokenList) if (t.length === given.length && timingSafeEqual(t, given)) return u;
        return undefined;
      }
      if (opts.clientCA) {
        const sock = req.socket as TLSSocket;
        if (sock.authorized && typeof sock.getPeerCertificate === 'function') {
          const cert = sock.getPeerCertificate();
          if (cert && cert.subject?.CN) {
            const o = cert.subject.O;
            return { name: String(cert.subject.CN), groups: Array.isArray(o) ? o.map(String) : o ? [String(o)] : [] };
          }
        }
      }
      return undefined;
    },
  };
}
