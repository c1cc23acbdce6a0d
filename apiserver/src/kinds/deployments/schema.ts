// apps/v1 Deployment.
import type { JSONSchema } from '../../registry/types.js';
import { conditionListSchema } from '../common/condition-schema.js';
import { apps, core, define, ref } from '../common/definitions.js';
import { labelSelectorSchema } from '../common/label-selector.js';
import { bool, int32, int64, intOrString, kindSchema, obj, str } from '../common/schema-builders.js';
import '../common/pod-spec-schema.js';

define(apps('DeploymentStrategy'), obj({
  type: str('Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.'),
  rollingUpdate: define(apps('RollingUpdateDeployment'), obj({
    maxUnavailable: intOrString('The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%.'),
    maxSurge: intOrString('The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%.'),
  }, { description: 'Spec to control the desired behavior of rolling update.' })),
}, { description: 'DeploymentStrategy describes how to replace existing pods with new ones.' }));

const deploymentSpecSchema = define(apps('DeploymentSpec'), obj({
  replicas: int32('Number of desired pods. Defaults to 1.'),
  selector: labelSelectorSchema("Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels."),
  template: ref(core('PodTemplateSpec'), 'Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is "Always".'),
  strategy: { ...ref(apps('DeploymentStrategy'), 'The deployment strategy to use to replace existing pods with new ones.'), 'x-kubernetes-patch-strategy': 'retainKeys' },
  minReadySeconds: int32('Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0.'),
  revisionHistoryLimit: int32('The number of old ReplicaSets to retain to allow rollback. Defaults to 10.'),
  paused: bool('Indicates that the deployment is paused.'),
  progressDeadlineSeconds: int32('The maximum time in seconds for a deployment to make progress before it is considered to be failed. Defaults to 600s.'),
}, { required: ['selector', 'template'], description: 'DeploymentSpec is the specification of the desired behavior of the Deployment.' }));

const deploymentStatusSchema = define(apps('DeploymentStatus'), obj({
  observedGeneration: int64('The generation observed by the deployment controller.'),
  replicas: int32('Total number of non-terminating pods targeted by this deployment (their labels match the selector).'),
  updatedReplicas: int32('Total number of non-terminating pods targeted by this deployment that have the desired template spec.'),
  readyReplicas: int32('Total number of non-terminating pods targeted by this Deployment with a Ready Condition.'),
  availableReplicas: int32('Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.'),
  unavailableReplicas: int32('Total number of unavailable pods targeted by this deployment.'),
  terminatingReplicas: int32('Total number of terminating pods targeted by this deployment.'),
  conditions: conditionListSchema(apps('DeploymentCondition'), ['lastUpdateTime', 'lastTransitionTime'], "Represents the latest available observations of a deployment's current state."),
  collisionCount: int32('Count of hash collisions for the Deployment.'),
}, { description: 'DeploymentStatus is the most recently observed status of the Deployment.' }));

export const deploymentSchema: JSONSchema = kindSchema(
  { group: 'apps', version: 'v1', kind: 'Deployment' },
  { spec: deploymentSpecSchema, status: deploymentStatusSchema },
  'Deployment enables declarative updates for Pods and ReplicaSets.',
);
