// The subset of containerd's v1 gRPC API (containerd 1.6, github.com/containerd/containerd/api)
// that the k8ts runtime uses (reads, and the container/task/snapshot writes of a container
// start): messages only, field numbers as in the upstream .proto files;
// fields we never read are omitted (protobuf skips unknown fields). Method paths live in
// grpc-client.ts. Parsed once at startup with protobufjs.
//
// Contract: wire-compatible with containerd 1.6 and 1.7 for the messages below; nothing else.

export const GOOGLE_PROTOS = `
syntax = "proto3";
package google.protobuf;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message Empty {}
message Any { string type_url = 1; bytes value = 2; }
message FieldMask { repeated string paths = 1; }
`;

export const CONTAINERD_TYPES = `
syntax = "proto3";
package containerd.v1.types;
enum Status { UNKNOWN = 0; CREATED = 1; RUNNING = 2; STOPPED = 3; PAUSED = 4; PAUSING = 5; }
message Process {
  string container_id = 1; string id = 2; uint32 pid = 3; Status status = 4;
  string stdin = 5; string stdout = 6; string stderr = 7; bool terminal = 8;
  uint32 exit_status = 9; google.protobuf.Timestamp exited_at = 10;
}
message Mount { string type = 1; string source = 2; repeated string options = 4; }
`;

export const CONTAINERD_SERVICES = `
syntax = "proto3";
package k8ts.containerd;

message Descriptor { string media_type = 1; string digest = 2; int64 size = 3; map<string, string> annotations = 5; }

message VersionResponse { string version = 1; string revision = 2; }

message Namespace { string name = 1; map<string, string> labels = 2; }
message ListNamespacesRequest { string filter = 1; }
message ListNamespacesResponse { repeated Namespace namespaces = 1; }
message DeleteNamespaceRequest { string name = 1; }

message Container {
  message Runtime { string name = 1; google.protobuf.Any options = 2; }
  string id = 1; map<string, string> labels = 2; string image = 3;
  Runtime runtime = 4; google.protobuf.Any spec = 5;
  string snapshotter = 6; string snapshot_key = 7;
  google.protobuf.Timestamp created_at = 8; google.protobuf.Timestamp updated_at = 9;
}
message GetContainerRequest { string id = 1; }
message GetContainerResponse { Container container = 1; }
message ListContainersRequest { repeated string filters = 1; }
message ListContainersResponse { repeated Container containers = 1; }
// Container as the kubelet reads it back (Get, List): without runtime and spec (the OCI spec,
// several KB each), which the decoder then skips unread. A listing runs every second (PLEG)
// and in each pod sync; building every container's spec as objects was ~6% of the kubelet's CPU
// while pods started (CPU profile, bench:pods).
message ContainerRead {
  string id = 1; map<string, string> labels = 2; string image = 3;
  string snapshotter = 6; string snapshot_key = 7; google.protobuf.Timestamp created_at = 8;
}
message GetContainerReadResponse { ContainerRead container = 1; }
message ListContainersReadResponse { repeated ContainerRead containers = 1; }
message DeleteContainerRequest { string id = 1; }
message CreateContainerRequest { Container container = 1; }
message CreateContainerResponse { Container container = 1; }

message CreateTaskRequest {
  string container_id = 1; repeated containerd.v1.types.Mount rootfs = 3;
  string stdin = 4; string stdout = 5; string stderr = 6; bool terminal = 7;
}
message CreateTaskResponse { string container_id = 1; uint32 pid = 2; }
message StartRequest { string container_id = 1; string exec_id = 2; }
message StartResponse { uint32 pid = 1; }

message DeleteTaskRequest { string container_id = 1; }
message DeleteResponse { string id = 1; uint32 pid = 2; uint32 exit_status = 3; google.protobuf.Timestamp exited_at = 4; }
message GetRequest { string container_id = 1; string exec_id = 2; }
message GetResponse { containerd.v1.types.Process process = 1; }
message ListTasksRequest { string filter = 1; }
message ListTasksResponse { repeated containerd.v1.types.Process tasks = 1; }
message ResizePtyRequest { string container_id = 1; string exec_id = 2; uint32 width = 3; uint32 height = 4; }
message KillRequest { string container_id = 1; string exec_id = 2; uint32 signal = 3; bool all = 4; }

message Image { string name = 1; map<string, string> labels = 2; Descriptor target = 3; google.protobuf.Timestamp created_at = 7; }
message GetImageRequest { string name = 1; }
message GetImageResponse { Image image = 1; }
message ListImagesRequest { repeated string filters = 1; }
message ListImagesResponse { repeated Image images = 1; }
message DeleteImageRequest { string name = 1; bool sync = 2; }

message ContentInfo { string digest = 1; int64 size = 2; map<string, string> labels = 5; }
message InfoRequest { string digest = 1; }
message InfoResponse { ContentInfo info = 1; }
message ReadContentRequest { string digest = 1; int64 offset = 2; int64 size = 3; }
message ReadContentResponse { int64 offset = 1; bytes data = 2; }

message RemoveSnapshotRequest { string snapshotter = 1; string key = 2; }
message PrepareSnapshotRequest { string snapshotter = 1; string key = 2; string parent = 3; map<string, string> labels = 4; }
message MountsResponse { repeated containerd.v1.types.Mount mounts = 1; }
message MountsRequest { string snapshotter = 1; string key = 2; }

message SubscribeRequest { repeated string filters = 1; }
message Envelope { google.protobuf.Timestamp timestamp = 1; string namespace = 2; string topic = 3; google.protobuf.Any event = 4; }
message TaskOOM { string container_id = 1; }
message TaskExit { string container_id = 1; string id = 2; uint32 pid = 3; uint32 exit_status = 4; google.protobuf.Timestamp exited_at = 5; }
`;
