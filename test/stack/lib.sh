# shellcheck shell=bash
# Shared settings for build.sh / up.sh / down.sh. Sourced, not executed.

STACK_SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# ---- versions (override via env) -------------------------------------------
K8S_VERSION=${K8S_VERSION:-1.36.3}            # k8s.io/kubernetes tag without "v"
ETCD_VERSION=${ETCD_VERSION:-3.6.16}          # go.etcd.io/etcd/server/v3 tag without "v"
# 1.7.0 is the target, but the Go module proxy answers 403 "This module version is not available"
# for the ray-operator@v1.7.0 zip (its .info/.mod resolve); 1.6.2 is the newest whose zip downloads.
KUBERAY_VERSION=${KUBERAY_VERSION:-1.6.2}     # github.com/ray-project/kuberay/ray-operator
RAY_VERSION=${RAY_VERSION:-2.58.0}            # PyPI ray[default]
PYTHON=${RAYJOB_STACK_PYTHON:-python3}

# ---- locations ---------------------------------------------------------------
CACHE_DIR=${RAYJOB_STACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rayjob-action-stack}
STATE_DIR=${RAYJOB_STACK_DIR:-/tmp/rayjob-action-stack}

K8S_DIR=$CACHE_DIR/k8s-$K8S_VERSION
ETCD_DIR=$CACHE_DIR/etcd-$ETCD_VERSION
KUBERAY_DIR=$CACHE_DIR/kuberay-$KUBERAY_VERSION
RAY_VENV=$CACHE_DIR/ray-$RAY_VERSION-venv

standin_hash() {
  (cd "$STACK_SRC_DIR/standin" 2>/dev/null && cat go.mod go.sum ./*.go 2>/dev/null; true) | sha256sum | cut -c1-12
}
STANDIN_DIR=$CACHE_DIR/standin-$(standin_hash)

# ---- network (netns created by up.sh) ----------------------------------------
NETNS_PREFIX=${RAYJOB_STACK_NETNS_PREFIX:-rjstack}
RAY_NS=${NETNS_PREFIX}-ray
RAY_HOST_IF=${NETNS_PREFIX}h0
RAY_NS_IF=${NETNS_PREFIX}r0
RAY_HOST_IP=10.77.0.1
RAY_IP=10.77.0.2
TOKEN_NS=${NETNS_PREFIX}-tok
TOKEN_HOST_IF=${NETNS_PREFIX}h1
TOKEN_NS_IF=${NETNS_PREFIX}r1
TOKEN_HOST_IP=10.77.0.5
TOKEN_IP=10.77.0.6

# ---- ports (loopback) --------------------------------------------------------
ETCD_CLIENT_PORT=${RAYJOB_STACK_ETCD_PORT:-23790}
ETCD_PEER_PORT=${RAYJOB_STACK_ETCD_PEER_PORT:-23800}
APISERVER_PORT=${RAYJOB_STACK_APISERVER_PORT:-16443}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

# run CMD...: run a command, on failure die naming it
run() {
  "$@" || die "command failed (exit $?): $*"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }
