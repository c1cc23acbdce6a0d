// Who talks to the apiserver in a local cluster: the admin user and one identity per
// component, with upstream's user and group names (so that a later RBAC issue can bind the
// upstream default roles to them).
//
// Contract: `id` is a file-name-safe short name (for <state>/kubeconfigs/<id>.kubeconfig);
// `user` and `groups` are what the token authenticates as. Order is stable.
export interface Identity {
  id: string;
  user: string;
  groups: string[];
}

export function clusterIdentities(nodeNames: readonly string[]): Identity[] {
  return [
    { id: 'admin', user: 'admin', groups: ['system:masters'] },
    { id: 'scheduler', user: 'system:kube-scheduler', groups: [] },
    { id: 'controller-manager', user: 'system:kube-controller-manager', groups: [] },
    ...nodeNames.map((n) => ({ id: `node-${n}`, user: `system:node:${n}`, groups: ['system:nodes'] })),
    { id: 'kube-proxy', user: 'system:kube-proxy', groups: [] },
    { id: 'dns', user: 'system:serviceaccount:kube-system:coredns', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'] },
  ];
}
