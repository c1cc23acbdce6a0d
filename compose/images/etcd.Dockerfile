# etcd for the Compose deployment: Debian's etcd binary (glibc-linked) on the k8ts base rootfs.
# Build context: a directory holding only the `etcd` binary (compose/images/build.sh stages it).
ARG BASE=k8ts/base:bookworm
FROM ${BASE}
COPY etcd /usr/local/bin/etcd
VOLUME /var/lib/etcd
EXPOSE 2379
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/etcd"]
