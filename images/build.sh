#!/usr/bin/env bash
# Builds the workload images k8ts clusters run (no registry is reachable: every image is local).
#
# Usage: images/build.sh [--force] [NAME ...]     NAME: busybox nginx (default: all)
#   Output: $K8TS_IMAGES_DIR (default .k8ts/images)/<name>.tar, an OCI image layout tarball named
#   docker.io/library/<name>:latest, ready for `ctr images import` / `k8ts image load`.
#
# Contract: an image whose tarball exists is not rebuilt (unless --force); tarballs appear
# atomically. Needs root (rootfs ownership, mmdebstrap) and the Debian packages of the
# `images` and `node` sets of scripts/install-deps.sh (busybox-static, mmdebstrap).
#   busybox: Debian's static busybox + applet symlinks, /etc/passwd, /tmp, /www. Cmd ["sh"].
#   nginx:   Debian bookworm nginx (mmdebstrap minbase); serves /usr/share/nginx/html on :80,
#            logs to stdout/stderr; Entrypoint /docker-entrypoint.sh, Cmd nginx -g 'daemon off;'.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${K8TS_IMAGES_DIR:-.k8ts/images}
force=0
names=()
for a in "$@"; do case "$a" in --force) force=1 ;; *) names+=("$a") ;; esac; done
[ ${#names[@]} -gt 0 ] || names=(busybox nginx)
mkdir -p "$OUT"
say() { printf '[images] %s\n' "$*"; }
[ "$(id -u)" -eq 0 ] || { echo "[images] error: must run as root" >&2; exit 1; }

work=$(mktemp -d /tmp/k8ts-images.XXXXXX)
trap 'rm -rf "$work"' EXIT

pack() { # name rootfs-dir config-json
  local name=$1 root=$2 cfg=$3
  tar --sort=name --numeric-owner --mtime='2024-01-01 00:00:00Z' -C "$root" -cf "$work/$name-layer.tar" .
  printf '%s' "$cfg" >"$work/$name-config.json"
  node images/oci-archive.mjs --layer "$work/$name-layer.tar" --config "$work/$name-config.json" --name "$name:latest" --out "$OUT/$name.tar"
}

build_busybox() {
  local r=$work/busybox
  [ -x /bin/busybox ] || { echo "[images] error: /bin/busybox missing: apt-get install busybox-static" >&2; exit 1; }
  mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,www,root,home,var/www,proc,sys,dev}
  chmod 1777 "$r/tmp"
  cp /bin/busybox "$r/bin/busybox"
  for app in $("$r/bin/busybox" --list-full); do
    [ "$app" = bin/busybox ] && continue
    mkdir -p "$r/$(dirname "$app")"
    ln -sf /bin/busybox "$r/$app"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$r/etc/passwd"
  printf 'root:x:0:\ndaemon:x:1:\nwww-data:x:33:\nnobody:x:65534:\n' >"$r/etc/group"
  printf '127.0.0.1\tlocalhost\n' >"$r/etc/hosts"
  printf 'hosts: files dns\n' >"$r/etc/nsswitch.conf"
  printf '<html><body><h1>busybox httpd</h1></body></html>\n' >"$r/www/index.html"
  pack busybox "$r" '{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]}'
}

build_nginx() {
  local r=$work/nginx
  say "mmdebstrap bookworm + nginx (about a minute)"
  mmdebstrap --quiet --variant=minbase --include=nginx \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    bookworm "$r" >"$work/mmdebstrap.log" 2>&1 || { tail -20 "$work/mmdebstrap.log" >&2; exit 1; }
  rm -rf "$r"/var/cache/apt/* "$r"/var/lib/apt/lists/* "$r"/etc/nginx/sites-enabled/*
  mkdir -p "$r/usr/share/nginx/html" "$r/etc/nginx/conf.d"
  cat >"$r/usr/share/nginx/html/index.html" <<'HTML'
<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>
<p><em>Thank you for using nginx.</em></p>
</body>
</html>
HTML
  cat >"$r/etc/nginx/conf.d/default.conf" <<'CONF'
server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;
    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
CONF
  # Like the official image: logs go to the container's stdout/stderr.
  ln -sf /dev/stdout "$r/var/log/nginx/access.log"
  ln -sf /dev/stderr "$r/var/log/nginx/error.log"
  printf '#!/bin/sh\nset -e\nexec "$@"\n' >"$r/docker-entrypoint.sh"
  chmod 0755 "$r/docker-entrypoint.sh"
  pack nginx "$r" '{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NGINX_VERSION=1.22.1"],"Entrypoint":["/docker-entrypoint.sh"],"Cmd":["nginx","-g","daemon off;"],"ExposedPorts":{"80/tcp":{}},"StopSignal":"SIGQUIT"}'
}

for n in "${names[@]}"; do
  if [ -f "$OUT/$n.tar" ] && [ $force = 0 ]; then say "$n: cached ($OUT/$n.tar)"; continue; fi
  case "$n" in
    busybox) build_busybox ;;
    nginx) build_nginx ;;
    *) echo "[images] error: unknown image '$n' (known: busybox nginx)" >&2; exit 2 ;;
  esac
done
say "done: $(cd "$OUT" && ls ./*.tar | tr '\n' ' ')"
