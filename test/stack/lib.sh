# shellcheck shell=bash
# Shared settings for build.sh / up.sh / down.sh. Sourced, not executed.

STACK_SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# ---- versions (override via env) -------------------------------------------
K8S_VERSION=${K8S_VERSION:-1.36.3}            # k8s.io/kubernetes tag without "v"
ETCD_VERSION=${ETCD_VERSION:-3.6.16}          # go.etcd.io/etcd/server/v3 tag without "v"
# KubeRay operator and CRDs: github.com/ray-project/kuberay/ray-operator. 1.7.0 by default; the Go
# module proxy refuses its zip (403 "This module version is not available"), so build.sh builds it
# from the sha256-checked copy in third_party/kuberay. RAYJOB_STACK_KUBERAY=1.6.2 selects the
# previous release (from the proxy); KUBERAY_VERSION is the older name of the same setting.
KUBERAY_VERSION=${RAYJOB_STACK_KUBERAY:-${KUBERAY_VERSION:-1.7.0}}
KUBERAY_VERSION=${KUBERAY_VERSION#v}
# Extra --feature-gates for the operator (e.g. RayCronJob=true, which 1.7.0 starts with off)
KUBERAY_FEATURE_GATES=${RAYJOB_STACK_KUBERAY_FEATURE_GATES:-}
RAY_VERSION=${RAY_VERSION:-2.58.0}            # PyPI ray[default]
# Toxiproxy (fault-injecting TCP proxy for the fault tests; __tests__/integration/toxiproxy.ts)
TOXIPROXY_VERSION=${TOXIPROXY_VERSION:-2.12.0} # github.com/Shopify/toxiproxy/v2
PYTHON=${RAYJOB_STACK_PYTHON:-python3}

# ---- locations ---------------------------------------------------------------
CACHE_DIR=${RAYJOB_STACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rayjob-action-stack}
STATE_DIR=${RAYJOB_STACK_DIR:-/tmp/rayjob-action-stack}

K8S_DIR=$CACHE_DIR/k8s-$K8S_VERSION
ETCD_DIR=$CACHE_DIR/etcd-$ETCD_VERSION
KUBERAY_DIR=$CACHE_DIR/kuberay-$KUBERAY_VERSION
RAY_VENV=$CACHE_DIR/ray-$RAY_VERSION-venv
TOXIPROXY_DIR=$CACHE_DIR/toxiproxy-$TOXIPROXY_VERSION

standin_hash() {
  (cd "$STACK_SRC_DIR/standin" 2>/dev/null && cat go.mod go.sum ./*.go 2>/dev/null; true) | sha256sum | cut -c1-12
}
STANDIN_DIR=$CACHE_DIR/standin-$(standin_hash)

# ---- network (netns created by up.sh) ----------------------------------------
# Two /30 links from the host into namespaces of their own. A second stack beside this one needs its
# own RAYJOB_STACK_DIR, RAYJOB_STACK_NETNS_PREFIX, RAYJOB_STACK_SUBNET and the three ports below.
NETNS_PREFIX=${RAYJOB_STACK_NETNS_PREFIX:-rjstack}     # at most 11 characters (interface names)
SUBNET=${RAYJOB_STACK_SUBNET:-10.77.0}                # first three octets of a private /24
RAY_NS=${NETNS_PREFIX}-ray
RAY_HOST_IF=${NETNS_PREFIX}h0
RAY_NS_IF=${NETNS_PREFIX}r0
RAY_HOST_IP=$SUBNET.1
RAY_IP=$SUBNET.2
TOKEN_NS=${NETNS_PREFIX}-tok
TOKEN_HOST_IF=${NETNS_PREFIX}h1
TOKEN_NS_IF=${NETNS_PREFIX}r1
TOKEN_HOST_IP=$SUBNET.5
TOKEN_IP=$SUBNET.6

# ---- ports (loopback) --------------------------------------------------------
ETCD_CLIENT_PORT=${RAYJOB_STACK_ETCD_PORT:-23790}
ETCD_PEER_PORT=${RAYJOB_STACK_ETCD_PEER_PORT:-23800}
APISERVER_PORT=${RAYJOB_STACK_APISERVER_PORT:-16443}

# ---- the node the stand-in registers (see README, "The stand-in") ------------------------------
# Its kubelet API (HTTPS, /containerLogs for pods/log) listens on the host-side veth address
# RAY_HOST_IP (SUBNET.1, the node's InternalIP) at this port.
KUBELET_PORT=${RAYJOB_STACK_KUBELET_PORT:-10250}
NODE_NAME=${RAYJOB_STACK_NODE_NAME:-standin-node}
NODE_CPU=${RAYJOB_STACK_NODE_CPU:-8}                  # capacity = allocatable
NODE_MEMORY=${RAYJOB_STACK_NODE_MEMORY:-32Gi}
NODE_PODS=${RAYJOB_STACK_NODE_PODS:-110}
# Kubelet back-off times (image pull, crash loop: 10 s doubling to 300 s) are multiplied by this.
TIME_SCALE=${RAYJOB_STACK_TIME_SCALE:-0.2}
# Bumped when up.sh starts the stack differently (flags, PKI): a stack started by an older up.sh
# counts as not healthy, so the next up.sh restarts it with the current layout.
STACK_LAYOUT=2

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

# run CMD...: run a command, on failure die naming it
run() {
  "$@" || die "command failed (exit $?): $*"
}

# Every process up.sh starts runs in a session of its own (setsid: pid == pgid == sid); its start
# time (field 22 of /proc/PID/stat) is recorded beside the PID so that a PID the kernel has since
# reused for someone else's process is never signalled.
proc_starttime() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }

# live (non-zombie) members of session SID
session_pids() { ps -e -o pid=,sid=,stat= | awk -v s="$1" '$2==s && $3 !~ /^Z/ {print $1}'; }

# wait_session_gone SID TENTHS: poll until the session has no live members
wait_session_gone() {
  local i
  for ((i = 0; i < $2; i++)); do
    [[ -z $(session_pids "$1") ]] && return 0
    sleep 0.1
  done
  return 1
}

stop_session() { # NAME SID [STARTTIME]
  local name=$1 sid=$2 start=${3:-} p
  [[ $sid =~ ^[0-9]+$ && $sid -gt 1 ]] || return 0
  [[ -n $(session_pids "$sid") ]] || return 0
  if [[ -n $start && -e /proc/$sid ]] && [[ $(proc_starttime "$sid") != "$start" ]]; then
    log "  $name: PID $sid now belongs to another process (start time differs): not touching it"
    return 0
  fi
  log "  stopping $name (session $sid)"
  # The leader first: `ray start --block` stops its children itself on SIGTERM, which is quicker
  # than signalling every Ray process at once (then some wait for peers that are already gone).
  kill -TERM "$sid" 2>/dev/null || true
  wait_session_gone "$sid" 150 && return 0
  # Ray workers sit in process groups of their own inside the session: signal each member
  for p in $(session_pids "$sid"); do kill -TERM "$p" 2>/dev/null || true; done
  wait_session_gone "$sid" 50 && return 0
  log "  $name: still running 20 s after SIGTERM, sending SIGKILL to session $sid"
  for p in $(session_pids "$sid"); do kill -KILL "$p" 2>/dev/null || true; done
  wait_session_gone "$sid" 50 || log "  $name: session $sid still has processes: $(session_pids "$sid" | tr '\n' ' ')"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }
