# One image for every k8ts role of the Compose deployment (init, apiserver, scheduler,
# controller-manager, dns, node). The role is the entrypoint script given as the command
# (compose/entrypoints/<role>.sh). Build context: the repo root, filtered by .dockerignore
# (compiled dist/, package.json files, runtime node_modules, the entrypoints; no sources, no
# state, no credentials). The Node.js binary is the host's, staged by compose/images/build.sh.
ARG BASE=k8ts/base:bookworm
FROM ${BASE}
COPY .k8ts/compose/build/bin/node /usr/local/bin/node
WORKDIR /opt/k8ts
COPY . /opt/k8ts/
RUN chmod 0755 /opt/k8ts/compose/entrypoints/*.sh && node --version >/dev/null
ENV NODE_ENV=production K8TS_ROOT=/opt/k8ts
ENTRYPOINT ["/usr/bin/tini", "-g", "--"]
