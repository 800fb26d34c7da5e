#!/usr/bin/env bash
# Start the test stack: etcd, kube-apiserver (TLS, token auth, RBAC), kube-controller-manager
# (job, garbagecollector, namespace, serviceaccount, ttl-after-finished), KubeRay CRDs, the KubeRay
# operator, a real Ray head in a network namespace (optionally a second one with token auth), and
# the kubelet/endpoints stand-in. Idempotent: if the stack is up and healthy it returns at once.
#
#   test/stack/up.sh [--with-token-head]
#
# Env: RAYJOB_STACK_DIR (state, default /tmp/rayjob-action-stack), RAYJOB_STACK_CACHE,
#      RAYJOB_STACK_TOKEN_HEAD=1 (same as --with-token-head), RAYJOB_STACK_RAY_TOKEN (token for
#      the token head; default: random, written to stack.json), RAYJOB_STACK_RAY_CPUS (default 4).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WITH_TOKEN_HEAD=${RAYJOB_STACK_TOKEN_HEAD:-0}
for a in "$@"; do
  case $a in
    --with-token-head) WITH_TOKEN_HEAD=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) die "unknown argument '$a'" ;;
  esac
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

pid_alive() { local f=$PIDS/$1.pid; [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null; }

admin_curl() { curl -sS --cacert "$PKI/ca.crt" -H "Authorization: Bearer $(cat "$STATE_DIR/admin-token")" "$@"; }

ray_ok() { curl -sf -m 3 "http://$1:8265/api/version" >/dev/null 2>&1; }

stack_healthy() {
  [[ -f $STATE_DIR/stack.json ]] || return 1
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
  setsid "$@" >"$logf" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
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
  wait_for "Ray head (token auth) dashboard http://$TOKEN_IP:8265" 120 ray-head-token ray_ok "$TOKEN_IP"
}

token_tmp() { echo "/tmp/rjs-$(sha256sum <<<"$STATE_DIR" | cut -c1-6)-tok"; }
ray_tmp() { echo "/tmp/rjs-$(sha256sum <<<"$STATE_DIR" | cut -c1-6)-ray"; }

setup_netns() { # NS HOST_IF NS_IF HOST_IP NS_IP
  local ns=$1 hif=$2 nif=$3 hip=$4 nip=$5
  if ! ip netns list | grep -qw "$ns"; then
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
  "context": "rayjob-stack",
  "rayHeadIp": "$RAY_IP",
  "dashboardUrl": "http://$RAY_IP:8265",
  "tokenHead": $token_head,
  "k8sVersion": "$K8S_VERSION",
  "etcdVersion": "$ETCD_VERSION",
  "kuberayVersion": "$KUBERAY_VERSION",
  "rayVersion": "$RAY_VERSION",
  "rayVenv": "$RAY_VENV",
  "rayNumCpus": $RAY_CPUS,
  "pids": $pids
}
EOF
  python3 -m json.tool "$STATE_DIR/stack.json.tmp" >/dev/null || die "generated stack.json is not valid JSON"
  mv "$STATE_DIR/stack.json.tmp" "$STATE_DIR/stack.json"
}

# ------------------------------------------------------------------------------------------------
if stack_healthy; then
  if [[ $WITH_TOKEN_HEAD == 1 ]] && ! pid_alive ray-head-token; then
    log "stack already up; starting the token-auth Ray head"
    start_token_head_only
    write_stack_json
  fi
  log "stack already up and healthy ($STATE_DIR/stack.json) — checked in $(elapsed "$T0") s"
  exit 0
fi

if [[ -d $STATE_DIR ]]; then
  log "stack in $STATE_DIR is not (fully) up: tearing it down first"
  "$STACK_SRC_DIR/down.sh"
fi

# build (no-op when cached)
for part in "$ETCD_DIR" "$K8S_DIR" "$KUBERAY_DIR" "$RAY_VENV" "$STANDIN_DIR"; do
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

# ---- network namespace(s) + Ray head(s) first: Ray takes longest to become ready ---------------
TS=$(now)
setup_netns "$RAY_NS" "$RAY_HOST_IF" "$RAY_NS_IF" "$RAY_HOST_IP" "$RAY_IP"
start_ray_head ray-head "$RAY_NS" "$RAY_IP" "$(ray_tmp)"
if [[ $WITH_TOKEN_HEAD == 1 ]]; then
  setup_netns "$TOKEN_NS" "$TOKEN_HOST_IF" "$TOKEN_NS_IF" "$TOKEN_HOST_IP" "$TOKEN_IP"
  start_ray_head ray-head-token "$TOKEN_NS" "$TOKEN_IP" "$(token_tmp)" token
fi

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
  --disable-admission-plugins=ServiceAccount --profiling=false
wait_for "kube-apiserver $API/readyz" 120 kube-apiserver admin_curl -f "$API/readyz"
log "etcd + kube-apiserver: $(elapsed "$TS") s ($(admin_curl -s "$API/version" | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p'))"

# ---- kube-controller-manager ------------------------------------------------------------------
start_bg kube-controller-manager "$LOGS/kube-controller-manager.log" "$K8S_DIR/kube-controller-manager" \
  --kubeconfig="$STATE_DIR/kubeconfig-kube-controller-manager" \
  --authentication-kubeconfig="$STATE_DIR/kubeconfig-kube-controller-manager" \
  --authorization-kubeconfig="$STATE_DIR/kubeconfig-kube-controller-manager" \
  --leader-elect=false --bind-address=127.0.0.1 --secure-port=0 \
  --controllers=job,garbagecollector,namespace,serviceaccount,ttl-after-finished \
  --use-service-account-credentials=false --profiling=false

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

# ---- KubeRay operator -------------------------------------------------------------------------
TS=$(now)
start_bg ray-operator "$LOGS/ray-operator.log" env KUBECONFIG="$STATE_DIR/kubeconfig-ray-operator" \
  ENABLE_DETERMINISTIC_HEAD_POD_NAME=true CLUSTER_DOMAIN=cluster.local \
  "$KUBERAY_DIR/ray-operator" --enable-leader-election=false --metrics-addr=0 --health-probe-bind-address=0 \
  --use-kubernetes-proxy --log-stdout-encoder=console
operator_ready() {
  local c
  c=$(grep -c 'Starting workers' "$LOGS/ray-operator.log" 2>/dev/null || true)
  [[ ${c:-0} -ge 3 ]]
}
wait_for "KubeRay operator controllers started (3x 'Starting workers')" 120 ray-operator operator_ready

# ---- stand-in (kubelet + endpoints controllers) -----------------------------------------------
heads=(--head "default=$RAY_IP@$RAY_NS")
if [[ $WITH_TOKEN_HEAD == 1 ]]; then heads+=(--head "token=$TOKEN_IP@$TOKEN_NS"); fi
mkdir -p "$STATE_DIR/standin"
rm -f "$STATE_DIR/standin/ready"
start_bg standin "$LOGS/standin.log" "$STANDIN_DIR/standin" --kubeconfig="$STATE_DIR/kubeconfig-standin" \
  --host-ip="$RAY_HOST_IP" --path-prepend="$RAY_VENV/bin" --work-dir="$STATE_DIR/standin" "${heads[@]}"
wait_for "stand-in informers synced" 60 standin test -f "$STATE_DIR/standin/ready"
pid_alive kube-controller-manager || { tail -n 30 "$LOGS/kube-controller-manager.log" >&2; die "kube-controller-manager exited (log: $LOGS/kube-controller-manager.log)"; }
log "operator + stand-in: $(elapsed "$TS") s"

# ---- Ray head(s) ready --------------------------------------------------------------------------
wait_for "Ray head dashboard http://$RAY_IP:8265/api/version" 180 ray-head ray_ok "$RAY_IP"
if [[ $WITH_TOKEN_HEAD == 1 ]]; then
  wait_for "Ray head (token auth) dashboard http://$TOKEN_IP:8265" 180 ray-head-token ray_ok "$TOKEN_IP"
fi

write_stack_json
log "stack up in $(elapsed "$T0") s (start only: $(elapsed "$T_BUILT") s)"
log "  KUBECONFIG=$STATE_DIR/kubeconfig   stack info: $STATE_DIR/stack.json   logs: $LOGS/"
