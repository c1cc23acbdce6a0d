// The "how to use it" text printed after `k8ts up`. Pure: paths shown relative to the current
// directory when they are inside it (so the curl line can be pasted as is), else absolute.
import { relative } from 'node:path';
import type { StateLayout } from './state-layout.js';

export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !rel.startsWith('/') ? rel : file;
}

export function usageHint(input: { server: string; layout: StateLayout; cwd?: string }): string[] {
  const { server, layout } = input;
  const cwd = input.cwd ?? process.cwd();
  const tokens = displayPath(layout.tokenFile, cwd);
  const ca = displayPath(layout.caCert, cwd);
  return [
    `k8ts is up: API server ${server}, state in ${displayPath(layout.root, cwd)}`,
    '',
    'Use it with kubectl:',
    `  export KUBECONFIG=${layout.adminKubeconfig}`,
    '  kubectl get ns',
    '',
    'or with curl:',
    `  curl --cacert ${ca} -H "Authorization: Bearer $(grep ',admin,' ${tokens} | cut -d, -f1)" ${server}/api/v1/namespaces`,
    '',
    `Logs: ${displayPath(layout.logsDir, cwd)}/   Status: k8ts status (node cli/dist/main.js status)   Stop: npm run down`,
  ];
}
