#!/usr/bin/env bash
# Start the test stack: etcd, kube-apiserver (TLS, token auth, RBAC, ResourceQuota admission, a
# kubelet client certificate for pods/log), kube-controller-manager (job, garbagecollector,
# namespace, serviceaccount, ttl-after-finished, resourcequota), KubeRay CRDs, the KubeRay operator,
# a real Ray head in a network namespace (optionally a second one with token auth), and the
# scheduler/kubelet/endpoints stand-in with its Node. Idempotent: if the stack is up and healthy it
# returns at once.
#
#   test/stack/up.sh [--with-token-head]
#   test/stack/up.sh --status     # exit 0 if the stack is up and healthy, 1 if not; starts nothing
#   test/stack/up.sh --stop NAME  # stop one component (kube-apiserver, kube-controller-manager,
#                                 # ray-operator) of a running stack, for fault tests; a plain
#                                 # up.sh then starts just the missing ones again (the rest stays)
#   test/stack/up.sh --kill NAME  # the same with SIGKILL (a crash: no graceful shutdown)
#
# Env: RAYJOB_STACK_DIR (state, default /tmp/rayjob-action-stack), RAYJOB_STACK_CACHE,
#      RAYJOB_STACK_KUBERAY (operator and CRDs: default 1.7.0, or 1.6.2),
#      RAYJOB_STACK_KUBERAY_FEATURE_GATES (the operator's --feature-gates; unset: RayCronJob=true
#      on 1.6.x/1.7.x, "" for the release's defaults alone),
#      RAYJOB_STACK_TOKEN_HEAD=1 (same as --with-token-head), RAYJOB_STACK_RAY_TOKEN (token for
#      the token head; default: random, written to stack.json), RAYJOB_STACK_RAY_CPUS (default 4),
#      RAYJOB_STACK_KEEP=1 (a failed start keeps running what it started), the node settings in
#      lib.sh (RAYJOB_STACK_KUBELET_PORT, RAYJOB_STACK_NODE_*, RAYJOB_STACK_TIME_SCALE), and for a
#      second stack beside this one the network and port settings in lib.sh. See test/stack/README.md.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# The operator's feature gates when RAYJOB_STACK_KUBERAY_FEATURE_GATES is not set at all: its
# release's defaults plus RayCronJob=true on 1.6.x and 1.7.x (alpha and off by default there), so the
# RayCronJob controller runs and RayCronJobs are reconciled. Set the variable to "" for the
# release's defaults alone.
if [[ -z ${RAYJOB_STACK_KUBERAY_FEATURE_GATES+set} ]]; then
  case $KUBERAY_VERSION in
    1.6.*|1.7.*) KUBERAY_FEATURE_GATES=RayCronJob=true ;;
  esac
fi

WITH_TOKEN_HEAD=${RAYJOB_STACK_TOKEN_HEAD:-0}
STATUS_ONLY=0
STOP_COMPONENT=
KILL_COMPONENT=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --with-token-head) WITH_TOKEN_HEAD=1 ;;
    --status) STATUS_ONLY=1 ;;
    --stop) STOP_COMPONENT=${2:-}; shift ;;
    --kill) STOP_COMPONENT=${2:-}; KILL_COMPONENT=1; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) die "unknown argument '$1'" ;;
  esac
  shift
done
RAY_CPUS=${RAYJOB_STACK_RAY_CPUS:-4}

[[ $(id -u) -eq 0 ]] || die "up.sh must run as root (network namespaces, veth, unshare --mount)"
for c in ip openssl curl unshare setsid python3 go; do
  command -v "$c" >/dev/null || die "'$c' not found on PATH (Debian: iproute2 / openssl / curl / util-linux)"
done

PIDS=$STATE_DIR/pids
PKI=$STATE_DIR/pki
LOGS=$STATE_DIR/logs
API=https://127.0.0.1:$APISERVER_PORT
T0=$(now)

# pid_alive NAME: the process up.sh started as NAME still runs (same PID and start time; a zombie
# that its new parent has not reaped yet, right after --stop, counts as gone)
pid_alive() {
  local f=$PIDS/$1.pid
  [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null || return 1
  [[ $(awk '{print $3}' "/proc/$(cat "$f")/stat" 2>/dev/null) != Z ]] || return 1
  [[ ! -f $PIDS/$1.start ]] || [[ $(proc_starttime "$(cat "$f")") == "$(cat "$PIDS/$1.start")" ]]
}

admin_curl() { curl -sS --cacert "$PKI/ca.crt" -H "Authorization: Bearer $(cat "$STATE_DIR/admin-token")" "$@"; }

# ray_ok IP: the Ray head at IP is fully up: the dashboard answers, the dashboard agent (which runs
# submitted jobs) reports raylet and GCS healthy, and the Ray Client server listens. The client
# server only listens once the raylet has registered; until then Ray may still abort the whole
# head (its client server gives up after 30 s), so a dashboard that answers is not enough.
# The token-auth head answers /api/version only with its token (401 without).
ray_ok() {
  local auth=()
  if [[ $1 == "$TOKEN_IP" && -f $STATE_DIR/ray-token ]]; then
    auth=(-H "Authorization: Bearer $(cat "$STATE_DIR/ray-token")")
  fi
  curl -sf -m 3 "${auth[@]}" "http://$1:8265/api/version" >/dev/null 2>&1 &&
    curl -sf -m 3 "http://$1:52365/api/healthz" 2>/dev/null | grep -q 'raylet: success' &&
    timeout 3 bash -c "exec 3<>/dev/tcp/$1/10001" 2>/dev/null
}

# layout_current: the running stack was started by an up.sh with this STACK_LAYOUT (lib.sh)
layout_current() { [[ $(cat "$STATE_DIR/stack-layout" 2>/dev/null) == "$STACK_LAYOUT" ]]; }

stack_healthy() {
  [[ -f $STATE_DIR/stack.json ]] || return 1
  layout_current || return 1
  local p
  for p in etcd kube-apiserver kube-controller-manager ray-operator standin ray-head; do
    pid_alive "$p" || return 1
  done
  admin_curl -f -m 3 "$API/readyz" >/dev/null 2>&1 || return 1
  ray_ok "$RAY_IP" || return 1
  return 0
}

# start NAME LOGFILE CMD...: start CMD in its own session/process group, record its PID (= PGID)
start_bg() {
  local name=$1 logf=$2; shift 2
  log "  start $name: $*"
  # append: a restarted component (stand-in, Ray head) keeps the earlier run's log above
  setsid "$@" >>"$logf" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
  proc_starttime $! >"$PIDS/$name.start"
}

# wait_for DESC TIMEOUT_S PIDNAME CMD...: poll CMD until it succeeds; die (with log tail) on timeout or death
wait_for() {
  local desc=$1 timeout=$2 pname=$3; shift 3
  local t0; t0=$(now)
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [[ -n $pname ]] && ! pid_alive "$pname"; then
      tail -n 30 "$LOGS/$pname.log" >&2 || true
      die "$pname exited while waiting for: $desc (log: $LOGS/$pname.log)"
    fi
    if ((SECONDS > deadline)); then
      [[ -n $pname ]] && { tail -n 30 "$LOGS/$pname.log" >&2 || true; }
      die "timed out after ${timeout}s waiting for: $desc (command: $*)"
    fi
    sleep 0.3
  done
  log "  ready: $desc ($(elapsed "$t0") s)"
}

write_kubeconfig() { # FILE USER TOKEN
  local ca; ca=$(base64 -w0 <"$PKI/ca.crt")
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: rayjob-stack
  cluster:
    server: $API
    certificate-authority-data: $ca
users:
- name: $2
  user:
    token: $3
contexts:
- name: rayjob-stack
  context:
    cluster: rayjob-stack
    user: $2
current-context: rayjob-stack
EOF
  chmod 600 "$1"
}

# ------------------------------------------------------------------------------------------------
start_token_head_only() {
  setup_netns "$TOKEN_NS" "$TOKEN_HOST_IF" "$TOKEN_NS_IF" "$TOKEN_HOST_IP" "$TOKEN_IP"
  start_ray_head ray-head-token "$TOKEN_NS" "$TOKEN_IP" "$(token_tmp)" token
  wait_ray_head ray-head-token "$TOKEN_NS" "$TOKEN_IP" "$(token_tmp)" token
}

token_tmp() { echo "/tmp/rjs-$(sha256sum <<<"$STATE_DIR" | cut -c1-6)-tok"; }
ray_tmp() { echo "/tmp/rjs-$(sha256sum <<<"$STATE_DIR" | cut -c1-6)-ray"; }

setup_netns() { # NS HOST_IF NS_IF HOST_IP NS_IP
  local ns=$1 hif=$2 nif=$3 hip=$4 nip=$5
  if ! ip netns list | awk '{print $1}' | grep -qxF "$ns"; then
    run ip netns add "$ns"
  fi
  echo "$ns" >>"$STATE_DIR/netns"
  if ! ip link show "$hif" >/dev/null 2>&1; then
    run ip link add "$hif" type veth peer name "$nif"
    run ip link set "$nif" netns "$ns"
    run ip addr add "$hip/30" dev "$hif"
    run ip link set "$hif" up
    run ip netns exec "$ns" ip addr add "$nip/30" dev "$nif"
    run ip netns exec "$ns" ip link set "$nif" up
    run ip netns exec "$ns" ip link set lo up
  fi
  echo "$hif" >>"$STATE_DIR/veths"
}

start_ray_head() { # PIDNAME NS IP TMPDIR [token]
  local name=$1 ns=$2 ip=$3 tmp=$4 mode=${5:-}
  local envs=(RAY_USAGE_STATS_ENABLED=0 RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 "PATH=$RAY_VENV/bin:$PATH" "HOME=$STATE_DIR/home")
  if [[ $mode == token ]]; then
    if [[ ! -f $STATE_DIR/ray-token ]]; then
      printf '%s' "${RAYJOB_STACK_RAY_TOKEN:-$(openssl rand -hex 32)}" >"$STATE_DIR/ray-token"
    fi
    envs+=(RAY_AUTH_MODE=token "RAY_AUTH_TOKEN=$(cat "$STATE_DIR/ray-token")")
  fi
  mkdir -p "$tmp" "$STATE_DIR/home"
  echo "$tmp" >>"$STATE_DIR/tmpdirs"
  start_bg "$name" "$LOGS/$name.log" ip netns exec "$ns" env "${envs[@]}" \
    "$RAY_VENV/bin/ray" start --head --block --node-ip-address="$ip" --port=6379 \
    --dashboard-host=0.0.0.0 --dashboard-port=8265 --include-dashboard=true \
    --num-cpus="$RAY_CPUS" --object-store-memory=100000000 --disable-usage-stats --temp-dir="$tmp"
}

# wait_ray_head PIDNAME NS IP TMPDIR MODE: wait until the head's dashboard answers. A head that dies
# first is restarted (up to 3 attempts): on a loaded 2-core box Ray aborts the whole head when its
# client server or raylet misses an internal startup timeout (30 s; see ray#65983).
wait_ray_head() {
  local name=$1 ns=$2 ip=$3 tmp=$4 mode=$5 attempt deadline t0
  t0=$(now)
  for attempt in 1 2 3; do
    deadline=$((SECONDS + 180))
    until ray_ok "$ip"; do
      pid_alive "$name" || break
      ((SECONDS <= deadline)) || { tail -n 30 "$LOGS/$name.log" >&2; die "timed out after 180 s waiting for Ray head $name at $ip: dashboard :8265/api/version, agent :52365/api/healthz, client server :10001 (log: $LOGS/$name.log)"; }
      sleep 0.5
    done
    if ray_ok "$ip"; then
      log "  ready: Ray head $name dashboard http://$ip:8265 ($(elapsed "$t0") s, attempt $attempt)"
      return 0
    fi
    tail -n 15 "$LOGS/$name.log" >&2
    log "  Ray head $name exited before its dashboard answered (attempt $attempt, log: $LOGS/$name.log); restarting it"
    stop_session "$name" "$(cat "$PIDS/$name.pid")" "$(cat "$PIDS/$name.start" 2>/dev/null)"
    start_ray_head "$name" "$ns" "$ip" "$tmp" "$mode"
  done
  die "Ray head $name did not start in 3 attempts (log: $LOGS/$name.log)"
}

# start_standin: start the kubelet/endpoints stand-in for the Ray heads that are running and wait
# until its informers have synced.
start_standin() {
  local heads=(--head "default=$RAY_IP@$RAY_NS" --head-log "default=$LOGS/ray-head.log")
  if pid_alive ray-head-token; then heads+=(--head "token=$TOKEN_IP@$TOKEN_NS" --head-log "token=$LOGS/ray-head-token.log"); fi
  mkdir -p "$STATE_DIR/standin"
  rm -f "$STATE_DIR/standin/ready"
  printf '%s\n' "$STANDIN_DIR" >"$STATE_DIR/standin-build"
  printf '%s\n' "${heads[*]}" >"$STATE_DIR/standin-heads"
  start_bg standin "$LOGS/standin.log" "$STANDIN_DIR/standin" --kubeconfig="$STATE_DIR/kubeconfig-standin" \
    --host-ip="$RAY_HOST_IP" --path-prepend="$RAY_VENV/bin" --work-dir="$STATE_DIR/standin" "${heads[@]}" \
    --node-name="$NODE_NAME" --node-cpu="$NODE_CPU" --node-memory="$NODE_MEMORY" --node-pods="$NODE_PODS" \
    --kubelet-port="$KUBELET_PORT" --tls-cert-file="$PKI/kubelet.crt" --tls-private-key-file="$PKI/kubelet.key" \
    --client-ca-file="$PKI/ca.crt" --time-scale="$TIME_SCALE" --kubelet-version="v$K8S_VERSION"
  wait_for "stand-in informers synced, node $NODE_NAME registered, kubelet API on https://$RAY_HOST_IP:$KUBELET_PORT" 60 standin test -f "$STATE_DIR/standin/ready"
}

write_stack_json() {
  local token_head=null
  if pid_alive ray-head-token; then
    token_head=$(printf '{"ip": "%s", "dashboardUrl": "http://%s:8265", "token": "%s"}' \
      "$TOKEN_IP" "$TOKEN_IP" "$(cat "$STATE_DIR/ray-token")")
  fi
  local pids="{" first=1 f
  for f in "$PIDS"/*.pid; do
    [[ $first -eq 1 ]] || pids+=", "
    first=0
    pids+="\"$(basename "$f" .pid)\": $(cat "$f")"
  done
  pids+="}"
  cat >"$STATE_DIR/stack.json.tmp" <<EOF
{
  "stateDir": "$STATE_DIR",
  "apiServer": "$API",
  "caFile": "$PKI/ca.crt",
  "adminToken": "$(cat "$STATE_DIR/admin-token")",
  "kubeconfig": "$STATE_DIR/kubeconfig",
  "logsDir": "$LOGS",
  "context": "rayjob-stack",
  "rayHeadIp": "$RAY_IP",
  "dashboardUrl": "http://$RAY_IP:8265",
  "tokenHead": $token_head,
  "k8sVersion": "$K8S_VERSION",
  "etcdVersion": "$ETCD_VERSION",
  "kuberayVersion": "$KUBERAY_VERSION",
  "kuberayFeatureGates": "$KUBERAY_FEATURE_GATES",
  "kuberaySource": "$(sed 's/"/\\"/g' "$KUBERAY_DIR/SOURCE" 2>/dev/null || echo "the Go module proxy")",
  "rayVersion": "$RAY_VERSION",
  "rayVenv": "$RAY_VENV",
  "rayNumCpus": $RAY_CPUS,
  "nodeName": "$NODE_NAME",
  "kubeletUrl": "https://$RAY_HOST_IP:$KUBELET_PORT",
  "timeScale": $TIME_SCALE,
  "pids": $pids
}
EOF
  python3 -m json.tool "$STATE_DIR/stack.json.tmp" >/dev/null || die "generated stack.json is not valid JSON"
  mv "$STATE_DIR/stack.json.tmp" "$STATE_DIR/stack.json"
}

start_apiserver() {
  start_bg kube-apiserver "$LOGS/kube-apiserver.log" "$K8S_DIR/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$APISERVER_PORT" \
    --endpoint-reconciler-type=none \
    --cert-dir="$PKI/generated" --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --token-auth-file="$PKI/tokens.csv" --anonymous-auth=false --authorization-mode=RBAC \
    --service-account-issuer="https://kubernetes.default.svc.cluster.local" \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --service-cluster-ip-range=10.96.0.0/24 --allow-privileged=true \
    --enable-admission-plugins=ResourceQuota --disable-admission-plugins=ServiceAccount --profiling=false \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority="$PKI/ca.crt" --kubelet-preferred-address-types=InternalIP
  wait_for "kube-apiserver $API/readyz" 120 kube-apiserver admin_curl -f "$API/readyz"
}

start_kcm() {
  start_bg kube-controller-manager "$LOGS/kube-controller-manager.log" "$K8S_DIR/kube-controller-manager" \
    --kubeconfig="$STATE_DIR/kubeconfig-kube-controller-manager" \
    --authentication-kubeconfig="$STATE_DIR/kubeconfig-kube-controller-manager" \
    --authorization-kubeconfig="$STATE_DIR/kubeconfig-kube-controller-manager" \
    --leader-elect=false --bind-address=127.0.0.1 --secure-port=0 \
    --controllers=job,garbagecollector,namespace,serviceaccount,ttl-after-finished,resourcequota \
    --use-service-account-credentials=false --profiling=false
}

# start_operator [wait]: start the KubeRay operator; with "wait", wait until its controllers run.
start_operator() {
  # its log is appended to across restarts: count the controllers started by this run only
  local before
  before=$(grep -c 'Starting workers' "$LOGS/ray-operator.log" 2>/dev/null || true)
  OPERATOR_LOG_BASE=${before:-0}
  local gates=()
  [[ -z $KUBERAY_FEATURE_GATES ]] || gates=(--feature-gates="$KUBERAY_FEATURE_GATES")
  start_bg ray-operator "$LOGS/ray-operator.log" env KUBECONFIG="$STATE_DIR/kubeconfig-ray-operator" \
    ENABLE_DETERMINISTIC_HEAD_POD_NAME=true CLUSTER_DOMAIN=cluster.local \
    "$KUBERAY_DIR/ray-operator" --enable-leader-election=false --metrics-addr=0 --health-probe-bind-address=0 \
    --use-kubernetes-proxy --log-stdout-encoder=console "${gates[@]}"
  [[ ${1:-} == wait ]] || return 0
  wait_for "KubeRay operator controllers started (3x 'Starting workers')" 120 ray-operator operator_ready
}
operator_ready() {
  local c
  c=$(grep -c 'Starting workers' "$LOGS/ray-operator.log" 2>/dev/null || true)
  [[ $((${c:-0} - ${OPERATOR_LOG_BASE:-0})) -ge 3 ]]
}

# The components a fault test may stop (--stop) and a plain up.sh starts again on its own, leaving
# the rest of the stack (etcd, the Ray head, the stand-in, every object) as it is.
RESTARTABLE=(kube-apiserver kube-controller-manager ray-operator)

# restart_missing: if the stack's core runs (etcd, the Ray head, the stand-in) and only restartable
# components are gone, start just those again; returns 1 (starting nothing) for any other state.
restart_missing() {
  [[ -f $STATE_DIR/stack.json ]] || return 1
  layout_current || return 1
  local p missing=()
  for p in etcd standin ray-head; do pid_alive "$p" || return 1; done
  for p in "${RESTARTABLE[@]}"; do pid_alive "$p" || missing+=("$p"); done
  [[ ${#missing[@]} -gt 0 ]] || return 1
  log "stack in $STATE_DIR lost ${missing[*]}: starting just that again"
  if ! pid_alive kube-apiserver; then start_apiserver; fi
  if ! pid_alive kube-controller-manager; then start_kcm; fi
  if ! pid_alive ray-operator; then start_operator wait; fi
  write_stack_json
  stack_healthy || return 1
  log "stack up and healthy again ($(elapsed "$T0") s)"
}

# ------------------------------------------------------------------------------------------------
if [[ -n $STOP_COMPONENT ]]; then
  [[ " ${RESTARTABLE[*]} " == *" $STOP_COMPONENT "* ]] || die "--stop takes one of: ${RESTARTABLE[*]} (not '$STOP_COMPONENT')"
  if pid_alive "$STOP_COMPONENT" && [[ $KILL_COMPONENT == 1 ]]; then
    sid=$(cat "$PIDS/$STOP_COMPONENT.pid")
    log "  killing $STOP_COMPONENT (session $sid, SIGKILL)"
    for p in $(session_pids "$sid"); do kill -KILL "$p" 2>/dev/null || true; done
    wait_session_gone "$sid" 50 || die "$STOP_COMPONENT: session $sid still has processes after SIGKILL"
  elif pid_alive "$STOP_COMPONENT"; then
    stop_session "$STOP_COMPONENT" "$(cat "$PIDS/$STOP_COMPONENT.pid")" "$(cat "$PIDS/$STOP_COMPONENT.start" 2>/dev/null)"
  fi
  log "$STOP_COMPONENT stopped; \`test/stack/up.sh\` starts it again ($(elapsed "$T0") s)"
  exit 0
fi
if [[ $STATUS_ONLY == 1 ]]; then
  if stack_healthy; then log "stack is up and healthy ($STATE_DIR/stack.json)"; exit 0; fi
  log "stack is not (fully) up in $STATE_DIR"; exit 1
fi
# A stack that is (partly) running keeps the KubeRay operator it was started with: restarting a
# stopped operator, or rewriting stack.json, uses that release and its feature gates, whatever
# RAYJOB_STACK_KUBERAY says now (its CRDs are that release's). A fresh start uses the requested one.
REQ_KUBERAY_VERSION=$KUBERAY_VERSION REQ_KUBERAY_FEATURE_GATES=$KUBERAY_FEATURE_GATES
if [[ -f $STATE_DIR/stack.json ]]; then
  running=$(sed -n 's/.*"kuberayVersion": *"\([^"]*\)".*/\1/p' "$STATE_DIR/stack.json")
  if [[ -n $running ]]; then
    KUBERAY_VERSION=$running KUBERAY_DIR=$CACHE_DIR/kuberay-$running
    KUBERAY_FEATURE_GATES=$(sed -n 's/.*"kuberayFeatureGates": *"\([^"]*\)".*/\1/p' "$STATE_DIR/stack.json")
  fi
  if [[ $KUBERAY_VERSION != "$REQ_KUBERAY_VERSION" || $KUBERAY_FEATURE_GATES != "$REQ_KUBERAY_FEATURE_GATES" ]]; then
    log "note: the stack in $STATE_DIR runs KubeRay $KUBERAY_VERSION (feature gates '${KUBERAY_FEATURE_GATES}'), not $REQ_KUBERAY_VERSION ('${REQ_KUBERAY_FEATURE_GATES}'); down.sh first to switch"
  fi
fi
if stack_healthy; then
  restart_standin=0
  if [[ $WITH_TOKEN_HEAD == 1 ]]; then
    if ! pid_alive ray-head-token; then
      log "stack already up; starting the token-auth Ray head"
      start_token_head_only
    elif ! ray_ok "$TOKEN_IP"; then
      wait_ray_head ray-head-token "$TOKEN_NS" "$TOKEN_IP" "$(token_tmp)" token
    fi
    # the stand-in must map token-auth head Pods to this head
    grep -q -- "token=" "$STATE_DIR/standin-heads" 2>/dev/null || restart_standin=1
    write_stack_json
  fi
  if [[ $(cat "$STATE_DIR/standin-build" 2>/dev/null) != "$STANDIN_DIR" ]]; then
    log "the stand-in's source changed since the stack started: rebuilding and restarting the stand-in"
    [[ -f $STANDIN_DIR/.done ]] || "$STACK_SRC_DIR/build.sh" standin
    restart_standin=1
  fi
  if [[ $restart_standin == 1 ]]; then
    stop_session standin "$(cat "$PIDS/standin.pid")" "$(cat "$PIDS/standin.start" 2>/dev/null)"
    start_standin
    write_stack_json
  fi
  log "stack already up and healthy ($STATE_DIR/stack.json) — checked in $(elapsed "$T0") s"
  exit 0
fi

if restart_missing; then exit 0; fi
# from here on a fresh start: the requested release
KUBERAY_VERSION=$REQ_KUBERAY_VERSION KUBERAY_DIR=$CACHE_DIR/kuberay-$REQ_KUBERAY_VERSION
KUBERAY_FEATURE_GATES=$REQ_KUBERAY_FEATURE_GATES

# A start that fails stops what it started (logs stay in $LOGS for diagnosis) unless RAYJOB_STACK_KEEP=1.
on_exit() {
  local rc=$?
  if ((rc != 0)) && [[ ${RAYJOB_STACK_KEEP:-0} != 1 ]]; then
    log "up.sh failed (exit $rc): stopping what it started; logs kept in $LOGS (RAYJOB_STACK_KEEP=1 keeps it all running)"
    "$STACK_SRC_DIR/down.sh" --keep-state || true
  fi
}
trap on_exit EXIT

if [[ -d $STATE_DIR ]]; then
  if [[ -f $STATE_DIR/stack.json ]] && ! layout_current; then
    log "stack in $STATE_DIR was started by an older up.sh (no Node/kubelet API/ResourceQuota controller): restarting it"
  fi
  log "stack in $STATE_DIR is not (fully) up: tearing it down first"
  "$STACK_SRC_DIR/down.sh"
fi

# build (no-op when cached)
for part in "$ETCD_DIR" "$K8S_DIR" "$KUBERAY_DIR" "$RAY_VENV" "$STANDIN_DIR" "$TOXIPROXY_DIR"; do
  if [[ ! -f $part/.done ]]; then
    log "cache incomplete ($part): running build.sh"
    "$STACK_SRC_DIR/build.sh"
    break
  fi
done
T_BUILT=$(now)

mkdir -p "$STATE_DIR" "$PIDS" "$PKI" "$LOGS"
chmod 700 "$STATE_DIR"
: >"$STATE_DIR/netns"; : >"$STATE_DIR/veths"; : >"$STATE_DIR/tmpdirs"

# ---- PKI: CA, serving cert, service-account key pair, tokens --------------------------------
TS=$(now)
(
  cd "$PKI"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
    -subj "/CN=rayjob-stack-ca" >/dev/null 2>&1 || die "openssl: CA generation failed"
  openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr \
    -subj "/CN=kube-apiserver" >/dev/null 2>&1 || die "openssl: apiserver CSR failed"
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n' >apiserver.ext
  openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
    -extfile apiserver.ext -out apiserver.crt >/dev/null 2>&1 || die "openssl: signing the apiserver cert failed"
  # the stand-in's kubelet API (its node's InternalIP) and the API server's client certificate for it
  openssl req -newkey rsa:2048 -nodes -keyout kubelet.key -out kubelet.csr \
    -subj "/CN=system:node:$NODE_NAME/O=system:nodes" >/dev/null 2>&1 || die "openssl: kubelet CSR failed"
  printf 'subjectAltName=IP:%s,DNS:%s\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n' "$RAY_HOST_IP" "$NODE_NAME" >kubelet.ext
  openssl x509 -req -in kubelet.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
    -extfile kubelet.ext -out kubelet.crt >/dev/null 2>&1 || die "openssl: signing the kubelet cert failed"
  openssl req -newkey rsa:2048 -nodes -keyout apiserver-kubelet-client.key -out apiserver-kubelet-client.csr \
    -subj "/CN=kube-apiserver-kubelet-client/O=system:masters" >/dev/null 2>&1 || die "openssl: kubelet client CSR failed"
  printf 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n' >apiserver-kubelet-client.ext
  openssl x509 -req -in apiserver-kubelet-client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
    -extfile apiserver-kubelet-client.ext -out apiserver-kubelet-client.crt >/dev/null 2>&1 || die "openssl: signing the kubelet client cert failed"
  openssl genrsa -out sa.key 2048 >/dev/null 2>&1 || die "openssl genrsa sa.key failed"
  openssl rsa -in sa.key -pubout -out sa.pub >/dev/null 2>&1 || die "openssl rsa -pubout failed"
)
ADMIN_TOKEN=$(openssl rand -hex 24)
printf '%s' "$ADMIN_TOKEN" >"$STATE_DIR/admin-token"
{
  printf '%s,rayjob-stack-admin,uid-admin,"system:masters"\n' "$ADMIN_TOKEN"
  for comp in kube-controller-manager ray-operator standin; do
    t=$(openssl rand -hex 24)
    printf '%s' "$t" >"$STATE_DIR/token-$comp"
    printf '%s,%s,uid-%s,"system:masters"\n' "$t" "rayjob-stack-$comp" "$comp"
  done
} >"$PKI/tokens.csv"
chmod 600 "$PKI/tokens.csv" "$STATE_DIR"/admin-token "$STATE_DIR"/token-*
write_kubeconfig "$STATE_DIR/kubeconfig" rayjob-stack-admin "$ADMIN_TOKEN"
for comp in kube-controller-manager ray-operator standin; do
  write_kubeconfig "$STATE_DIR/kubeconfig-$comp" "rayjob-stack-$comp" "$(cat "$STATE_DIR/token-$comp")"
done
log "pki + tokens + kubeconfigs: $(elapsed "$TS") s"

# ---- etcd -------------------------------------------------------------------------------------
TS=$(now)
start_bg etcd "$LOGS/etcd.log" "$ETCD_DIR/etcd" --name rjs --data-dir "$STATE_DIR/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "rjs=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync --log-level warn
wait_for "etcd http://127.0.0.1:$ETCD_CLIENT_PORT/health" 60 etcd \
  curl -sf "http://127.0.0.1:$ETCD_CLIENT_PORT/health"

# ---- kube-apiserver ---------------------------------------------------------------------------
start_apiserver
log "etcd + kube-apiserver: $(elapsed "$TS") s ($(admin_curl -s "$API/version" | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p'))"

# ---- CRDs (server-side apply; never client-side apply: annotation too long) ---------------------
TS=$(now)
for f in "$KUBERAY_DIR"/crds/ray.io_*.yaml; do
  n=$(basename "$f" .yaml); n=${n#ray.io_}.ray.io
  code=$(admin_curl -o "$LOGS/crd-$n.json" -w '%{http_code}' -X PATCH \
    -H 'Content-Type: application/apply-patch+yaml' --data-binary "@$f" \
    "$API/apis/apiextensions.k8s.io/v1/customresourcedefinitions/$n?fieldManager=rayjob-stack&force=true")
  [[ $code == 200 || $code == 201 ]] || { head -c 2000 "$LOGS/crd-$n.json" >&2; die "server-side apply of CRD $n from $f: HTTP $code"; }
done
crd_ready() {
  local n
  for n in rayclusters rayjobs rayservices raycronjobs; do
    admin_curl -f "$API/apis/apiextensions.k8s.io/v1/customresourcedefinitions/$n.ray.io" |
      python3 -c 'import json,sys; c=json.load(sys.stdin)["status"].get("conditions",[]); sys.exit(0 if any(x["type"]=="Established" and x["status"]=="True" for x in c) else 1)' || return 1
    admin_curl -f "$API/apis/ray.io/v1" | grep -q "\"name\": *\"$n\"" || return 1
  done
}
wait_for "KubeRay CRDs Established and served in discovery (/apis/ray.io/v1)" 60 "" crd_ready
log "CRDs: $(elapsed "$TS") s"

# ---- network namespace(s) + Ray head(s) -------------------------------------------------------
# Started only now: on 2 cores, a Ray head starting beside kube-apiserver's startup and the CRD
# publishing did not register its raylet within Ray's 30 s and aborted. The rest starts beside it.
TS=$(now)
setup_netns "$RAY_NS" "$RAY_HOST_IF" "$RAY_NS_IF" "$RAY_HOST_IP" "$RAY_IP"
start_ray_head ray-head "$RAY_NS" "$RAY_IP" "$(ray_tmp)"
if [[ $WITH_TOKEN_HEAD == 1 ]]; then
  setup_netns "$TOKEN_NS" "$TOKEN_HOST_IF" "$TOKEN_NS_IF" "$TOKEN_HOST_IP" "$TOKEN_IP"
  start_ray_head ray-head-token "$TOKEN_NS" "$TOKEN_IP" "$(token_tmp)" token
fi

# ---- kube-controller-manager ------------------------------------------------------------------
start_kcm

# ---- KubeRay operator -------------------------------------------------------------------------
TS=$(now)
start_operator wait

# ---- stand-in (kubelet + endpoints controllers) -----------------------------------------------
start_standin
pid_alive kube-controller-manager || { tail -n 30 "$LOGS/kube-controller-manager.log" >&2; die "kube-controller-manager exited (log: $LOGS/kube-controller-manager.log)"; }
log "operator + stand-in: $(elapsed "$TS") s"

# ---- Ray head(s) ready --------------------------------------------------------------------------
wait_ray_head ray-head "$RAY_NS" "$RAY_IP" "$(ray_tmp)" ""
if [[ $WITH_TOKEN_HEAD == 1 ]]; then
  wait_ray_head ray-head-token "$TOKEN_NS" "$TOKEN_IP" "$(token_tmp)" token
fi

write_stack_json
printf '%s\n' "$STACK_LAYOUT" >"$STATE_DIR/stack-layout"
log "stack up in $(elapsed "$T0") s (start only: $(elapsed "$T_BUILT") s)"
log "  KUBECONFIG=$STATE_DIR/kubeconfig   stack info: $STATE_DIR/stack.json   logs: $LOGS/"
