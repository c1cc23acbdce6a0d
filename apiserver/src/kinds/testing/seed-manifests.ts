// Representative manifests from the user's seed notes (/work/shared/seeds/*.txt), re-typed
// with their indentation restored and their comments kept: every one must be accepted as
// written. Used only by *.test.ts.
import { parse } from 'yaml';
import type { KubeObject } from '@k8ts/shared';

export interface SeedManifest {
  /** where in the seed notes it comes from */
  source: string;
  yaml: string;
}

export const seedManifests: SeedManifest[] = [
  {
    source: '001 pod-definition.yml',
    yaml: `
# pod-definition.yml
apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod-name
  labels:
    app: myapp
    tier: frontend

spec:
  containers:
    - name: nginx-container-name
      image: nginx # image from docker-hub or other registries
`,
  },
  {
    source: '001 rc-definition.yml',
    yaml: `
apiVersion: v1
kind: ReplicationController
metadata:
  name: myapp-rc
  labels:
    app: myapp
    type: front-end

spec:
  template:
    metadata:
      name: myapp-pod
      labels:
        app: myapp
        type: front-end
    spec:
      containers:
        - name: nginx-container
          image: nginx
  replicas: 3
`,
  },
  {
    source: '001 replicaset-definition.yml',
    yaml: `
# ReplicaSet Definition
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: myapp-replicaset
  labels:
    app: myapp
    type: front-end
spec:
  template:
    metadata:
      labels:
        app: myapp
        type: front-end
    spec:
      containers:
        - name: nginx-container
          image: nginx
  replicas: 3
  selector:
    matchLabels:
      type: front-end
`,
  },
  {
    source: '001 deployment-definition.yml (voting app)',
    yaml: `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: voting-app-deploy
  labels:
    name: voting-app-deploy
    app: demo-voting-app
spec:
  replicas: 1
  selector:
    matchLabels:
      name: voting-app-pod
      app: demo-voting-app
  template: # 原本 Pods 的定義變成 Template
    metadata:
      name: voting-app-pod
      labels:
        name: voting-app-pod
        app: demo-voting-app
    spec:
      containers:
        - name: voting-app
          image: kodekloud/examplevotingapp_vote:v1
          ports:
            - containerPort: 80
`,
  },
  {
    source: '001 service-definition.yml (NodePort 30008)',
    yaml: `
# Service Definition
apiVersion: v1
kind: Service
metadata:
  name: myapp-service
spec:
  type: NodePort
  ports:
    - port: 80 # 必填
      targetPort: 80 # 選填，預設和 port 相同
      nodePort: 30008 # 選填，範圍介於 30000-32767
  selector: # 必填，指定要對應的 Pods
    app: myapp
    type: frontend
`,
  },
  {
    source: '001 db service (ClusterIP)',
    yaml: `
apiVersion: v1
kind: Service
metadata:
  name: db # name 不能隨便取，因為這個會在其他 resource（例如，Pods 或 Deployments）中參照
  labels:
    name: postgres-service
    app: demo-voting-app
spec:
  ports:
    - port: 5432
  selector:
    name: postgres-pod
    app: demo-voting-app
`,
  },
  {
    source: '001 namespace-definition.yml',
    yaml: `
# namespace-definition.yml
# 建立名為 dev 的 namespace
apiVersion: v1
kind: Namespace
metadata:
  name: dev
`,
  },
  {
    source: '001 redis pod in dev',
    yaml: `
apiVersion: v1
kind: Pod
metadata:
  name: redis-pod
  namespace: dev
  labels:
    name: redis-pod
    app: demo-voting-app
spec:
  containers:
    - name: redis-container
      image: redis
      ports:
        - containerPort: 6379
`,
  },
  {
    source: '001 resource-quota-definition.yml',
    yaml: `
# resource-quota-definition.yml
apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute-quota
  namespace: dev
spec:
  hard:
    pods: "10"
    requests.cpu: "4"
    requests.memory: 5Gi
    limits.cpu: "10"
    limits.memory: 10Gi
`,
  },
  {
    source: '001 ConfigMap app-config',
    yaml: `
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  LOG_LEVEL: "info" # Logging level (info, debug, warn, error)
  APP_ENV: "production" # Application environment
  API_BASE_URL: "https://api.example.com" # External API base URL
  CACHE_TTL: "3600" # Cache Time-to-Live in seconds
`,
  },
  {
    source: '001 Secret db-credentials',
    yaml: `
apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
type: Opaque
data:
  DB_HOST: bG9jYWxob3N0 # Base64 encoded "localhost"
  DB_PORT: NTQzMg== # Base64 encoded "5432"
  DB_USER: YWRtaW4= # Base64 encoded "admin"
  DB_PASSWORD: c2VjdXJlX3Bhc3M= # Base64 encoded "secure_pass"
`,
  },
  {
    source: '001 Pod app with env from ConfigMap and Secret',
    yaml: `
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app-container
      image: my-app-image:latest
      env:
        # Inject ConfigMap values as environment variables
        - name: LOG_LEVEL
          valueFrom:
            configMapKeyRef:
              name: app-config
              key: LOG_LEVEL
        - name: APP_ENV
          valueFrom:
            configMapKeyRef:
              name: app-config
              key: APP_ENV

        # Inject Secret values as environment variables
        - name: DB_USER
          valueFrom:
            secretKeyRef:
              name: db-credentials
              key: DB_USER
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: db-credentials
              key: DB_PASSWORD
`,
  },
  {
    source: '003 nginx-deployment.yaml (replicas 4)',
    yaml: `
apiVersion: apps/v1 #与k8s集群版本有关，使用 kubectl api-versions 即可查看当前集群支持的版本
kind: Deployment #该配置的类型，我们使用的是 Deployment
metadata: #译名为元数据，即 Deployment 的一些基本属性和信息
  name: nginx-deployment #Deployment 的名称
  labels: #标签，可以灵活定位一个或多个资源，其中key和value均可自定义，可以定义多组，目前不需要理解
    app: nginx #为该Deployment设置key为app，value为nginx的标签
spec: #这是关于该Deployment的描述，可以理解为你期待该Deployment在k8s中如何使用
  replicas: 4 #使用该Deployment创建一个应用程序实例
  selector: #标签选择器，与上面的标签共同作用，目前不需要理解
    matchLabels: #选择包含标签app:nginx的资源
      app: nginx
  template: #这是选择或创建的Pod的模板
    metadata: #Pod的元数据
      labels: #Pod的标签，上面的selector即选择包含标签app:nginx的Pod
        app: nginx
    spec: #期望Pod实现的功能（即在pod中部署）
      containers: #生成container，与docker中的container是同一种
        - name: nginx #container的名称
          image: nginx:1.7.9 #使用镜像nginx:1.7.9创建container，该container默认80端口可访问
          ports:
            - containerPort: 80
`,
  },
  {
    source: '003 nginx-service.yaml (NodePort 32600)',
    yaml: `
apiVersion: v1
kind: Service
metadata:
  name: nginx-service #Service 的名称
  labels: #Service 自己的标签
    app: nginx #为该 Service 设置 key 为 app，value 为 nginx 的标签
spec: #这是关于该 Service 的定义，描述了 Service 如何选择 Pod，如何被访问
  selector: #标签选择器
    app: nginx #选择包含标签 app:nginx 的 Pod
  ports:
    - name: nginx-port #端口的名字
      protocol: TCP #协议类型 TCP/UDP
      port: 80 #集群内的其他容器组可通过 80 端口访问 Service
      nodePort: 32600 #通过任意节点的 32600 端口访问 Service
      targetPort: 80 #将请求转发到匹配 Pod 的 80 端口
  type: NodePort #Serive的类型，ClusterIP/NodePort/LoaderBalancer
`,
  },
  {
    source: '000 kubectl run nginx --image=nginx (the body kubectl sends)',
    yaml: `
kind: Pod
apiVersion: v1
metadata:
  name: nginx
  creationTimestamp: null
  labels:
    run: nginx
spec:
  containers:
    - name: nginx
      image: nginx
      args: ["/bin/sh", "-c", "sleep 3600"]
      resources: {}
  restartPolicy: Always
  dnsPolicy: ClusterFirst
status: {}
`,
  },
  {
    source: '000 init containers (busybox waiting, as described)',
    yaml: `
apiVersion: v1
kind: Pod
metadata:
  name: myapp-init
  labels:
    app: myapp
spec:
  initContainers:
    - name: init-myservice
      image: busybox
      command: ['sh', '-c', 'until nslookup myapp-service; do echo waiting; sleep 2; done']
  containers:
    - name: myapp-container
      image: busybox
      command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  restartPolicy: Never
`,
  },
];

export function parseManifest(m: SeedManifest): KubeObject {
  return parse(m.yaml) as KubeObject;
}
