#!/usr/bin/env bash
# Stop everything up.sh started (by the PIDs/sessions recorded in the state dir), delete the
# network namespaces and veths it created, and remove its state and temp dirs.
#   test/stack/down.sh [--keep-state]   (--keep-state keeps $RAYJOB_STACK_DIR/logs etc. for debugging)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KEEP=0
[[ ${1:-} == --keep-state ]] && KEEP=1
PIDS=$STATE_DIR/pids
T0=$(now)

if [[ ! -d $STATE_DIR ]]; then
  log "nothing to stop ($STATE_DIR does not exist)"
  exit 0
fi

# members of session SID (every process up.sh started runs in its own session: pid == pgid == sid)
session_pids() { ps -e -o pid=,sid= | awk -v s="$1" '$2==s {print $1}'; }

stop_session() { # NAME SID
  local name=$1 sid=$2 i
  [[ $sid =~ ^[0-9]+$ && $sid -gt 1 ]] || return 0
  if [[ -z $(session_pids "$sid") ]]; then return 0; fi
  log "  stopping $name (session/process group $sid)"
  kill -TERM -- "-$sid" 2>/dev/null || true
  for i in $(seq 1 100); do
    [[ -z $(session_pids "$sid") ]] && return 0
    sleep 0.1
  done
  # Ray workers sit in their own process groups inside the session: signal each member
  local p
  for p in $(session_pids "$sid"); do kill -TERM "$p" 2>/dev/null || true; done
  for i in $(seq 1 50); do
    [[ -z $(session_pids "$sid") ]] && return 0
    sleep 0.1
  done
  log "  $name: still alive after SIGTERM, sending SIGKILL"
  for p in $(session_pids "$sid"); do kill -KILL "$p" 2>/dev/null || true; done
}

# stand-in first (it stops the container processes it runs), then the rest in reverse start order
for name in standin ray-operator kube-controller-manager ray-head-token ray-head kube-apiserver etcd; do
  f=$PIDS/$name.pid
  [[ -f $f ]] || continue
  stop_session "$name" "$(cat "$f")" &
done
wait
# container processes the stand-in started (own process groups), in case it died before stopping them
if [[ -d $STATE_DIR/standin/children ]]; then
  for f in "$STATE_DIR"/standin/children/*; do
    [[ -f $f ]] || continue
    pg=$(basename "$f")
    [[ $pg =~ ^[0-9]+$ ]] && { kill -KILL -- "-$pg" 2>/dev/null || true; }
  done
fi

# network namespaces and veths we created
if [[ -f $STATE_DIR/veths ]]; then
  for v in $(sort -u "$STATE_DIR/veths"); do
    ip link del "$v" 2>/dev/null && log "  deleted veth $v" || true
  done
fi
if [[ -f $STATE_DIR/netns ]]; then
  for ns in $(sort -u "$STATE_DIR/netns"); do
    ip netns del "$ns" 2>/dev/null && log "  deleted netns $ns" || true
  done
fi
if [[ -f $STATE_DIR/tmpdirs ]]; then
  for d in $(sort -u "$STATE_DIR/tmpdirs"); do
    [[ $d == /tmp/rjs-* ]] && rm -rf "$d"
  done
fi

if [[ $KEEP == 1 ]]; then
  rm -rf "$PIDS" "$STATE_DIR/stack.json" "$STATE_DIR/etcd"
  log "stack stopped in $(elapsed "$T0") s (state kept in $STATE_DIR)"
else
  rm -rf "$STATE_DIR"
  log "stack stopped and $STATE_DIR removed in $(elapsed "$T0") s"
fi
