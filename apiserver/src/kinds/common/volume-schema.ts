// corev1.Volume. The sources k8ts can run (emptyDir, configMap, secret, hostPath,
// persistentVolumeClaim, projected, downwardAPI) are described field by field; the legacy
// and cloud volume types are accepted as open objects so valid manifests are never refused.
import type { JSONSchema } from '../../registry/types.js';
import { objectFieldSelectorSchema, resourceFieldSelectorSchema } from './container-schema.js';
import { core, define } from './definitions.js';
import { atomicList, bool, int32, int64, obj, openObj, quantity, str } from './schema-builders.js';

const keyToPathSchema = define(core('KeyToPath'), obj({
  key: str('key is the key to project.'),
  path: str('path is the relative path of the file to map the key to.'),
  mode: int32('mode is Optional: mode bits used to set permissions on this file.'),
}, { required: ['key', 'path'], description: 'Maps a string key to a path within a volume.' }));

const downwardAPIVolumeFileSchema = define(core('DownwardAPIVolumeFile'), obj({
  path: str("Required: Path is the relative path name of the file to be created. Must not be absolute or contain the '..' path."),
  fieldRef: objectFieldSelectorSchema,
  resourceFieldRef: resourceFieldSelectorSchema,
  mode: int32('Optional: mode bits used to set permissions on this file.'),
}, { required: ['path'], description: 'DownwardAPIVolumeFile represents information to create the file containing the pod field' }));

const configMapSource = (name: string, projection: boolean): JSONSchema => define(core(name), obj({
  name: str('Name of the ConfigMap.'),
  items: atomicList(keyToPathSchema, 'items if unspecified, each key-value pair in the Data field of the referenced ConfigMap will be projected into the volume.'),
  ...(projection ? {} : { defaultMode: int32('defaultMode is optional: mode bits used to set permissions on created files by default. Defaults to 0644.') }),
  optional: bool('optional specify whether the ConfigMap or its keys must be defined'),
}, { description: 'Adapts a ConfigMap into a volume.' }));

const secretVolumeSource = define(core('SecretVolumeSource'), obj({
  secretName: str("secretName is the name of the secret in the pod's namespace to use."),
  items: atomicList(keyToPathSchema, 'items If unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume.'),
  defaultMode: int32('defaultMode is Optional: mode bits used to set permissions on created files by default. Defaults to 0644.'),
  optional: bool('optional field specify whether the Secret or its keys must be defined'),
}, { description: 'Adapts a Secret into a volume.' }));

const secretProjection = define(core('SecretProjection'), obj({
  name: str('Name of the Secret.'),
  items: atomicList(keyToPathSchema),
  optional: bool(),
}, { description: 'Adapts a secret into a projected volume.' }));

const downwardAPISource = (name: string, projection: boolean): JSONSchema => define(core(name), obj({
  items: atomicList(downwardAPIVolumeFileSchema, 'Items is a list of downward API volume file'),
  ...(projection ? {} : { defaultMode: int32('Optional: mode bits to use on created files by default. Defaults to 0644.') }),
}, { description: 'Represents downward API info for projecting into a volume.' }));

const projectedVolumeSource = define(core('ProjectedVolumeSource'), obj({
  sources: atomicList(define(core('VolumeProjection'), obj({
    secret: secretProjection,
    configMap: configMapSource('ConfigMapProjection', true),
    downwardAPI: downwardAPISource('DownwardAPIProjection', true),
    serviceAccountToken: define(core('ServiceAccountTokenProjection'), obj({
      audience: str(), expirationSeconds: int64(), path: str(),
    }, { required: ['path'] })),
    clusterTrustBundle: openObj('ClusterTrustBundle allows a pod to access the `.spec.trustBundle` field of ClusterTrustBundle objects.'),
    podCertificate: openObj('Projects an auto-rotating credential bundle into the pod.'),
  })), 'sources is the list of volume projections.'),
  defaultMode: int32('defaultMode are the mode bits used to set permissions on created files by default.'),
}, { description: 'Represents a projected volume source' }));

const LEGACY_SOURCES = [
  'awsElasticBlockStore', 'gcePersistentDisk', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder',
  'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
] as const;

/** Names of every volume source (a volume must set exactly one). */
export const VOLUME_SOURCES: readonly string[] = [
  'hostPath', 'emptyDir', 'secret', 'configMap', 'persistentVolumeClaim', 'downwardAPI', 'projected', ...LEGACY_SOURCES,
];

export const volumeSchema = define(core('Volume'), obj({
  name: str('name of the volume. Must be a DNS_LABEL and unique within the pod.'),
  hostPath: define(core('HostPathVolumeSource'), obj({
    path: str('path of the directory on the host.'),
    type: str('type for HostPath Volume. Defaults to "".'),
  }, { required: ['path'], description: 'hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container.' })),
  emptyDir: define(core('EmptyDirVolumeSource'), obj({
    medium: str('medium represents what type of storage medium should back this directory ("" or "Memory").'),
    sizeLimit: quantity('sizeLimit is the total amount of local storage required for this EmptyDir volume.'),
  }, { description: "emptyDir represents a temporary directory that shares a pod's lifetime." })),
  secret: secretVolumeSource,
  configMap: configMapSource('ConfigMapVolumeSource', false),
  persistentVolumeClaim: define(core('PersistentVolumeClaimVolumeSource'), obj({
    claimName: str('claimName is the name of a PersistentVolumeClaim in the same namespace as the pod using this volume.'),
    readOnly: bool('readOnly Will force the ReadOnly setting in VolumeMounts.'),
  }, { required: ['claimName'] })),
  downwardAPI: downwardAPISource('DownwardAPIVolumeSource', false),
  projected: projectedVolumeSource,
  ...Object.fromEntries(LEGACY_SOURCES.map((name) => [name, openObj(`${name} volume source.`)])),
}, { required: ['name'], description: 'Volume represents a named volume in a pod that may be accessed by any container in the pod.' }));
