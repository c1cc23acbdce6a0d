// Where `k8ts up` keeps its state. One state directory holds one local cluster:
//
//   <state>/cluster.json            options the cluster was started with (ports, node names)
//   <state>/pki/ca.{crt,key}        cluster CA (key 0600; directory 0700)
//   <state>/pki/apiserver.{crt,key} apiserver serving certificate signed by the CA
//   <state>/tokens.csv              static bearer tokens (upstream --token-auth-file format, 0600)
//   <state>/kubeconfig              admin kubeconfig (0600)
//   <state>/kubeconfigs/<id>.kubeconfig  one per component identity (scheduler, node-1 ...)
//   <state>/etcd/                   etcd data (kept by `down`)
//   <state>/logs/<component>.log    stdout+stderr of each component (appended)
//   <state>/run/<component>.pid     pid of each running component
//
// Contract: pure path arithmetic; nothing here touches the file system.
// The pki/ file names come from pki.ts (pkiPaths), the one place that defines them.
import { join, resolve } from 'node:path';
import { pkiPaths } from './pki.js';

export interface StateLayout {
  root: string;
  clusterFile: string;
  pkiDir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  tokenFile: string;
  adminKubeconfig: string;
  kubeconfigsDir: string;
  etcdDataDir: string;
  logsDir: string;
  runDir: string;
  logFile(component: string): string;
  pidFile(component: string): string;
  componentKubeconfig(id: string): string;
}

export function stateLayout(stateDir: string): StateLayout {
  const root = resolve(stateDir);
  const pki = pkiPaths(join(root, 'pki'));
  const logsDir = join(root, 'logs');
  const runDir = join(root, 'run');
  const kubeconfigsDir = join(root, 'kubeconfigs');
  return {
    root,
    clusterFile: join(root, 'cluster.json'),
    pkiDir: pki.dir,
    caCert: pki.caCert,
    caKey: pki.caKey,
    apiserverCert: pki.apiserverCert,
    apiserverKey: pki.apiserverKey,
    tokenFile: join(root, 'tokens.csv'),
    adminKubeconfig: join(root, 'kubeconfig'),
    kubeconfigsDir,
    etcdDataDir: join(root, 'etcd'),
    logsDir,
    runDir,
    logFile: (c) => join(logsDir, `${c}.log`),
    pidFile: (c) => join(runDir, `${c}.pid`),
    componentKubeconfig: (id) => join(kubeconfigsDir, `${id}.kubeconfig`),
  };
}
