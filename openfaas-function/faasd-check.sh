#!/usr/bin/env bash
# README's faasd path, run for real on this machine: brings up faasd 0.19.0 + the OpenFaaS gateway with
# ../shared/tools/faasd-here, makes the Dockerfile's base images when they are missing (check-image.sh
# --base-images), runs `REGISTRY=localhost:5000 faas-cli up -f stack.yml` as README tells a user (faas-cli's
# own build, push to the kit's registry, deploy), waits until the function is ready through the gateway,
# then checks it through the gateway and in containerd, prints PASS/FAIL for each check, and exits 1 if any
# failed. It leaves nothing running: the function is removed, faasd-here goes down, the image server and
# the log sink stop, the temporary files go.
#
#   openfaas-function/faasd-check.sh          as root, from a checkout that has ../shared beside it
#
# From a fresh clone: clone beside ../shared, so that every ../shared path resolves without links, e.g.
#   git clone /work/main /work/faasd-check && /work/faasd-check/openfaas-function/faasd-check.sh; rm -rf /work/faasd-check
#
# Environment: KEEP_FAASD=1 leaves faasd-here up at the end (the function is removed all the same);
# READY_TIMEOUT (s, default 180) bounds each wait for the function to be ready; BUILD_TIMEOUT (s, default
# 1800) bounds `faas-cli up` (the first build downloads the Maven dependencies); IMAGE_PORT (default 28088)
# is the port of the image server on the faasd bridge.
#
# Two deployments of the same function, because the address guard must be both on and off:
#   1. `faas-cli up -f stack.yml` exactly as README says (guard on): bytes through `faas-cli invoke` and
#      curl, the JSON 415/413/403, the cgroup's memory limit, the non-root user, the "Ready" log line;
#   2. `faas-cli deploy -f stack.yml -e CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true` (same image, guard lifted
#      for this run only, stack.yml untouched): GET ?url= and POST {"url"} of an image served from the host
#      on the bridge (10.62.0.1), the invocation count of `faas-cli list`/`describe`, then `faas-cli remove`.
#
# What differs here from a faasd installed by its installer (../shared/tools/faasd-here/README.md): no
# journald, so `faas-cli logs` is empty; this script reads the function's output the way faasd sends it,
# through a stand-in for journald's socket (/run/systemd/journal/socket, created for the run and removed
# after) that faasd's log collector writes to. Functions resolve no public names: image URLs are IPs.
set -euo pipefail
cd "$(dirname "$0")/.."

FN=image-classifier
KIT=../shared/tools/faasd-here/faasd-here
BRIDGE_IP=10.62.0.1
IMAGE_PORT=${IMAGE_PORT:-28088}
READY_TIMEOUT=${READY_TIMEOUT:-180}
BUILD_TIMEOUT=${BUILD_TIMEOUT:-1800}
JOURNAL_SOCKET=/run/systemd/journal/socket
PROMETHEUS_URL=http://127.0.0.1:${FAASD_HERE_PROMETHEUS_PORT:-29090}   # the kit's Prometheus (API only)
EXAMPLE=docs/examples/chelsea.png
EXPECTED='Egyptian cat'

fails=0 checks=0
tmp='' image_server='' log_sink='' events='' made_journal_dir='' made_build=''
timings=()

say() { printf '%s\n' "$*"; }
pass() { checks=$((checks + 1)); say "PASS $1: $2"; }
fail() { checks=$((checks + 1)); fails=$((fails + 1)); say "FAIL $1: $2"; }
check() { # NAME SEEN WANT: PASS when SEEN equals WANT
  if [ "$2" = "$3" ]; then pass "$1" "$2"; else fail "$1" "saw '$2', want '$3'"; fi
}
die() { say "ERROR: $*"; exit 1; }

phase_start=0 phase_name=
phase() { # NAME: ends the phase before (recording its time), starts NAME
  local now; now=$(date +%s%N)
  [ -z "$phase_name" ] || timings+=("$(printf '%-50s %6.1f s' "$phase_name" "$(( (now - phase_start) / 1000000 ))e-3")")
  phase_name=$1 phase_start=$now
  [ -z "$1" ] || say "== $1"
}

# --- helpers -----------------------------------------------------------------------------------------
gw() { # CURL-ARGS... URL: curl through the gateway; prints "BODY STATUS"
  curl -s -m 60 -w ' %{http_code}' "$@" || true
}
invoke() { # CONTENT-TYPE < BODY: faas-cli invoke; prints "ANSWER 200", or "ANSWER exit-N" when faas-cli fails
  local out rc=0
  out=$(faas-cli invoke "$FN" --content-type "$1" 2>&1) || rc=$?
  if [ "$rc" = 0 ]; then echo "$out 200"; else echo "$out exit-$rc"; fi
}
label_of() { grep -o '"label" *: *"[^"]*"' <<<"$1" | head -1 | sed 's/.*: *"//; s/"$//'; }
status_of() { echo "${1##* }"; }
code_of() { grep -o '"code" *: *"[^"]*"' <<<"$1" | head -1 | sed 's/.*: *"//; s/"$//'; }
short() { tr -d '\n' <<<"$1" | cut -c1-160; }

expect_class() { # NAME ANSWER: 200 and top-1 "Egyptian cat"
  local status label
  status=$(status_of "$2"); label=$(label_of "$2")
  if [ "$status" = 200 ] && [ "$label" = "$EXPECTED" ]; then pass "$1" "200, top-1 \"$label\""
  else fail "$1" "status $status, top-1 '${label:-none}', want 200 \"$EXPECTED\": $(short "$2")"; fi
}
expect_error() { # NAME ANSWER STATUS CODE: the JSON error of README's table
  local status code
  status=$(status_of "$2"); code=$(code_of "$2")
  if [ "$status" = "$3" ] && [ "$code" = "$4" ]; then pass "$1" "$status $code"
  else fail "$1" "status $status, code '${code:-none}', want $3 $4: $(short "$2")"; fi
}

to_bytes() { # 1024Mi, 1Gi, 512M, 1048576 -> bytes
  local v=$1 n=${1%%[!0-9]*}
  case ${v#"$n"} in
    Ki) echo $((n << 10)) ;; Mi) echo $((n << 20)) ;; Gi) echo $((n << 30)) ;;
    K|k) echo $((n * 1000)) ;; M) echo $((n * 1000000)) ;; G) echo $((n * 1000000000)) ;;
    '') echo "$n" ;; *) die "cannot read the size $v" ;;
  esac
}
stack_limit_memory() { awk '$1 == "limits:" {l = 1; next} l && $1 == "memory:" {print $2; exit} l && !/^ *(cpu|memory):/ {l = 0}' stack.yml; }
stack_env() { awk -v k="$1:" '$1 == k {gsub(/"/, "", $2); print $2; exit}' stack.yml; }

task_pid() { ctr -n openfaas-fn task ls 2>/dev/null | awk -v f="$FN" '$1 == f && $3 == "RUNNING" {print $2}'; }
children() { cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep . || true; }
uid_of() { awk '$1 == "Uid:" {print $2}' /proc/"$1"/status 2>/dev/null; }
env_of() { tr '\0' '\n' < /proc/"$1"/environ 2>/dev/null | sed -n "s/^$2=//p"; }
java_pid() { # the JVM that fwatchdog (the task's pid) forked
  local c; for c in $(children "$1"); do [[ $(readlink /proc/"$c"/exe 2>/dev/null) == */java ]] && { echo "$c"; return; }; done
}
fetches() { grep -c '^10\.62\.[0-9.]* .*"GET /chelsea.png HTTP/1.1" 200' "$tmp/image-server.log" 2>/dev/null || true; }
scraped_since() { # EPOCH: Prometheus has scraped the gateway since then
  local ts
  ts=$(curl -s -m 5 "$PROMETHEUS_URL/api/v1/query" --data-urlencode 'query=timestamp(up{job="gateway"})' \
    | grep -o '"value":\[[0-9.]*,"[0-9]*' | sed 's/.*,"//')   # [evaluation time, "the sample's time"]
  [ "${ts:-0}" -gt "$1" ]
}
wait_scrape() { local t; t=$(date +%s); until scraped_since "$t"; do [ $(($(date +%s) - t)) -lt 60 ] || return 1; sleep 1; done; }
invocations() { faas-cli describe "$FN" 2>/dev/null | awk -F': *' '$1 ~ /^Invocations/ {print $2 + 0; exit}'; }

wait_ready() { # LABEL: the provider's view (faas-cli ready), then /_/ready 200 through the gateway
  local t0 code=000
  t0=$(date +%s%N)
  timeout "$READY_TIMEOUT" faas-cli ready "$FN" --attempts "$READY_TIMEOUT" --interval 1s > "$tmp/ready.log" 2>&1 \
    || { cat "$tmp/ready.log"; fail "$1: faas-cli ready" "not ready within ${READY_TIMEOUT}s"; return 1; }
  while [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt "$READY_TIMEOUT" ]; do
    code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$OPENFAAS_URL/function/$FN/_/ready" || true)
    [ "$code" = 200 ] && break
    sleep 0.5
  done
  if [ "$code" = 200 ]; then
    pass "$1: ready through the gateway" "/function/$FN/_/ready 200 after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  else
    fail "$1: ready through the gateway" "/function/$FN/_/ready still $code after ${READY_TIMEOUT}s"; return 1
  fi
}

start_log_sink() { # journald's socket, as faasd's log collector (`faasd collect`) expects it: lines to $tmp/function.log
  if [ -S "$JOURNAL_SOCKET" ]; then say "journald runs here: the function's output is in journalctl, not checked"; return; fi
  [ -d /run/systemd/journal ] || { mkdir -p /run/systemd/journal; made_journal_dir=1; }
  cat > "$tmp/journal-sink.py" <<'EOF'
# Receives journald's native protocol (KEY=value lines, or KEY\n<le64 length><value>\n) and writes
# "SYSLOG_IDENTIFIER MESSAGE" lines: a stand-in for journald, for the length of one check run.
import socket, sys
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        data, fields = sock.recv(1 << 20), {}
        while data:
            line, _, data = data.partition(b"\n")
            if b"=" in line:
                key, value = line.split(b"=", 1)
            else:
                size = int.from_bytes(data[:8], "little")
                key, value, data = line, data[8:8 + size], data[9 + size:]
            fields[key] = value.decode(errors="replace")
        out.write(f"{fields.get(b'SYSLOG_IDENTIFIER', '?')} {fields.get(b'MESSAGE', '')}\n")
EOF
  python3 "$tmp/journal-sink.py" "$JOURNAL_SOCKET" "$tmp/function.log" & log_sink=$!
  for _ in $(seq 1 50); do [ -S "$JOURNAL_SOCKET" ] && return; sleep 0.1; done
  die "the log sink did not create $JOURNAL_SOCKET"
}
function_log() { grep "^openfaas-fn:$FN " "$tmp/function.log" 2>/dev/null | cut -d' ' -f2- || true; }

cleanup() {
  local rc=$?
  set +e
  [ "$phase_name" = cleanup ] || phase "cleanup"
  if [ -n "${OPENFAAS_URL:-}" ] && faas-cli describe "$FN" > /dev/null 2>&1; then
    say "cleanup: removing $FN"; timeout 60 faas-cli remove "$FN" > /dev/null 2>&1
  fi
  [ -z "$events" ] || kill "$events" 2>/dev/null
  [ -z "$image_server" ] || kill "$image_server" 2>/dev/null
  if [ -n "$log_sink" ]; then kill "$log_sink" 2>/dev/null; wait "$log_sink" 2>/dev/null; rm -f "$JOURNAL_SOCKET"; fi
  [ -z "$made_journal_dir" ] || rmdir /run/systemd/journal 2>/dev/null
  if [ "${KEEP_FAASD:-0}" = 1 ]; then say "cleanup: KEEP_FAASD=1, faasd-here stays up ($KIT down stops it)"
  else say "cleanup: faasd-here down"; timeout 180 "$KIT" down 2>&1 | sed 's/^/  /'; fi
  [ -z "$made_build" ] || rm -rf build
  [ -z "$tmp" ] || rm -rf "$tmp"
  phase ""
  timings+=("$(printf '%-50s %6d s' "total" $(($(date +%s) - run_start)))")
  say ""
  say "timings:"; printf '  %s\n' "${timings[@]}"
  if [ "$rc" != 0 ] && [ "$fails" = 0 ]; then say "faasd-check: stopped by an error (exit $rc) after $checks checks"; exit "$rc"; fi
  say "faasd-check: $checks checks, $fails failed"
  [ "$fails" = 0 ] || exit 1
}

# --- the run ------------------------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "run as root (faasd, containerd and podman need it)"
[ -x "$KIT" ] || die "no $KIT: clone this repository beside ../shared (see the header)"
tmp=$(mktemp -d /tmp/faasd-check.XXXXXX)
[ -e build ] || made_build=1
run_start=$(date +%s)
trap cleanup EXIT

phase "faasd up (faasd-here)"
"$KIT" up 2>&1 | sed 's/^/  /'
eval "$("$KIT" env)"
say "  gateway $OPENFAAS_URL, $(faas-cli version 2>/dev/null | awk '/version:/ {print "faas-cli " $2; exit}')"

phase "base images (check-image.sh --base-images)"
openfaas-function/check-image.sh --base-images 2>&1 | sed 's/^/  /'

start_log_sink
phase "faas-cli up -f stack.yml (build, push, deploy)"
say "  REGISTRY=localhost:5000 faas-cli up -f stack.yml   (log: faas-cli-up.log)"
if REGISTRY=localhost:5000 timeout "$BUILD_TIMEOUT" faas-cli up -f stack.yml > "$tmp/faas-cli-up.log" 2>&1; then
  pass "faas-cli up -f stack.yml" "$(grep -E 'Deployed\.|Image: .* built' "$tmp/faas-cli-up.log" | tr -s ' ' | paste -sd ';' -)"
else
  tail -40 "$tmp/faas-cli-up.log"; fail "faas-cli up -f stack.yml" "exit status $? (last lines above)"; exit 1
fi

phase "ready (deployment 1, as README)"
wait_ready "deployment 1" || exit 1

phase "checks, deployment 1 (address guard on)"
mkdir -p "$tmp/www" && cp "$EXAMPLE" "$tmp/www/"
python3 -m http.server "$IMAGE_PORT" --bind "$BRIDGE_IP" --directory "$tmp/www" > "$tmp/image-server.log" 2>&1 & image_server=$!
image_url=http://$BRIDGE_IP:$IMAGE_PORT/chelsea.png
expect_class "POST bytes, faas-cli invoke" "$(invoke image/png < "$EXAMPLE")"
expect_class "POST bytes, curl through the gateway" \
  "$(gw -H 'Content-Type: image/png' --data-binary @"$EXAMPLE" "$OPENFAAS_URL/function/$FN")"
expect_error "HTML posted as image/png" \
  "$(gw -H 'Content-Type: image/png' --data-binary '<!doctype html><html><body>not an image</body></html>' "$OPENFAAS_URL/function/$FN")" \
  415 UNSUPPORTED_MEDIA_TYPE
cap=$(stack_env CLASSIFIER_MAX_IMAGE_BYTES)
head -c $((cap + 1)) /dev/zero > "$tmp/over-cap.bin"
expect_error "body of $((cap + 1)) bytes (cap $cap, stack.yml)" \
  "$(gw -H 'Content-Type: image/png' --data-binary @"$tmp/over-cap.bin" "$OPENFAAS_URL/function/$FN")" \
  413 REQUEST_TOO_LARGE
rm -f "$tmp/over-cap.bin"
expect_error "GET ?url=$image_url with the guard on" "$(gw "$OPENFAAS_URL/function/$FN?url=$image_url")" 403 ADDRESS_NOT_ALLOWED
check "the image server got no request from the guarded function" "$(fetches)" 0

pid=$(task_pid)
if [ -z "$pid" ]; then fail "containerd task" "no running task $FN in namespace openfaas-fn"; else
  pass "containerd task" "$(ctr -n openfaas-fn task ls | awk -v f="$FN" '$1 == f' | tr -s ' ')"
  limit_want=$(to_bytes "$(stack_limit_memory)")
  memcg=$(awk -F: '$2 == "memory" {print $3}' /proc/"$pid"/cgroup)
  limit=$(cat "/sys/fs/cgroup/memory$memcg/memory.limit_in_bytes" 2>/dev/null || echo none)
  check "cgroup memory.limit_in_bytes of $memcg = stack.yml limits.memory ($(stack_limit_memory))" "$limit" "$limit_want"
  user=$(awk '$1 == "USER" {u = $2} END {print u}' openfaas-function/Dockerfile)
  uid_want=$(awk -F: -v u="$user" '$1 == u {print $3}' /proc/"$pid"/root/etc/passwd)
  jpid=$(java_pid "$pid")
  check "fwatchdog (pid $pid) runs as the Dockerfile's USER $user (uid $uid_want)" "$(uid_of "$pid")" "$uid_want"
  check "java (pid ${jpid:-none}) runs as $user" "$(uid_of "${jpid:-0}")" "$uid_want"
  if [ -n "$uid_want" ] && [ "$uid_want" != 0 ]; then pass "user $user is not root" "uid $uid_want"
  else fail "user $user is not root" "uid '$uid_want'"; fi
  check "CLASSIFIER_ALLOW_PRIVATE_NETWORKS in the JVM's environment (stack.yml alone)" "$(env_of "${jpid:-0}" CLASSIFIER_ALLOW_PRIVATE_NETWORKS)" ""
fi
ready_line=$(function_log | grep -m1 'Ready in' || true)
if [ -n "$ready_line" ]; then pass "function's output (faasd's log collector)" "$ready_line"
else fail "function's output (faasd's log collector)" "no 'Ready in' line; $(function_log | wc -l) lines seen"; fi
say "  faas-cli logs $FN: $(timeout 10 faas-cli logs "$FN" --tail=false 2>&1 | wc -l) lines (no journald here)"

phase "redeploy with -e CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true"
old_pid=$pid stopped_before=$(function_log | grep -c 'Stopped' || true)
say "  faas-cli deploy -f stack.yml -e CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true"
REGISTRY=localhost:5000 timeout 120 faas-cli deploy -f stack.yml -e CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true > "$tmp/deploy.log" 2>&1 \
  || { cat "$tmp/deploy.log"; fail "faas-cli deploy -e ..." "failed"; exit 1; }
wait_ready "deployment 2" || exit 1

phase "checks, deployment 2 (address guard lifted)"
pid=$(task_pid); jpid=$(java_pid "${pid:-0}")
if [ -n "$pid" ] && [ "$pid" != "$old_pid" ]; then pass "a new task replaced the old one" "pid $old_pid -> $pid"
else fail "a new task replaced the old one" "pid ${old_pid:-none} -> ${pid:-none}"; fi
stopped=$(function_log | grep 'Stopped' | tail -1)
if [ "$(function_log | grep -c 'Stopped' || true)" -gt "$stopped_before" ]; then pass "the old task drained before it went" "$stopped"
else fail "the old task drained before it went" "no new 'Stopped' line in the function's output"; fi
check "CLASSIFIER_ALLOW_PRIVATE_NETWORKS in the JVM's environment (-e)" "$(env_of "${jpid:-0}" CLASSIFIER_ALLOW_PRIVATE_NETWORKS)" true
check "stack.yml's environment kept beside -e (CLASSIFIER_MAX_IMAGE_BYTES)" "$(env_of "${jpid:-0}" CLASSIFIER_MAX_IMAGE_BYTES)" "$cap"
expect_class "GET ?url=$image_url" "$(gw "$OPENFAAS_URL/function/$FN?url=$image_url")"
expect_class "POST {\"url\"} JSON, faas-cli invoke" "$(invoke application/json <<<"{\"url\": \"$image_url\"}")"
expect_class "POST {\"url\"} JSON, curl through the gateway" \
  "$(gw -H 'Content-Type: application/json' --data "{\"url\": \"$image_url\"}" "$OPENFAAS_URL/function/$FN")"
check "the image server served the function's 3 GETs, from faasd's network" "$(fetches)" 3

phase "invocation count (faas-cli list / describe)"
# The count is the gateway's counter as Prometheus last scraped it (every 15 s). A gateway restarted by
# faasd-here up counts from 0 again while a restarted Prometheus still shows the earlier gateway's series for
# a few minutes, so the count is read only after a scrape that followed every call made so far (all the
# status codes this run produces are then the current gateway's), then again after 5 more calls.
wait_scrape || fail "Prometheus scraped the gateway" "no scrape within 60 s"
before=$(invocations)
for _ in 1 2 3 4 5; do gw -o /dev/null -H 'Content-Type: image/png' --data-binary @"$EXAMPLE" "$OPENFAAS_URL/function/$FN" > /dev/null; done
wait_scrape || fail "Prometheus scraped the gateway" "no scrape within 60 s"
seen=$(invocations) listed=$(faas-cli list 2>/dev/null | awk -v f="$FN" '$1 == f {print $2}')
if [ "${seen:-0}" -ge $((${before:-0} + 5)) ] && [ "$listed" = "$seen" ]; then
  pass "invocations grew with 5 calls" "describe ${before:-none} -> $seen, list $listed"
else fail "invocations grew with 5 calls" "describe ${before:-none} -> ${seen:-none}, list ${listed:-none}"; fi

phase "faas-cli remove (SIGTERM, drain)"
ctr events > "$tmp/events.log" 2>&1 & events=$!
sleep 0.3
t0=$(date +%s%N)
timeout 90 faas-cli remove "$FN" > "$tmp/remove.log" 2>&1 || { cat "$tmp/remove.log"; fail "faas-cli remove" "failed"; }
for _ in $(seq 1 60); do ctr -n openfaas-fn container ls -q 2>/dev/null | grep -x "$FN" > /dev/null || break; sleep 1; done
gone_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
sleep 1; kill "$events" 2>/dev/null; wait "$events" 2>/dev/null || true; events=
left=$(ctr -n openfaas-fn task ls -q | grep -x "$FN"; ctr -n openfaas-fn container ls -q | grep -x "$FN"; true)
check "task and container gone after faas-cli remove ($gone_ms ms)" "${left:-gone}" gone
exit_event=$(grep '/tasks/exit' "$tmp/events.log" | grep "\"container_id\":\"$FN\"" | tail -1 || true)
exit_status=$(grep -o '"exit_status":[0-9]*' <<<"$exit_event" | cut -d: -f2 || true)
[ -n "$exit_event" ] && exit_status=${exit_status:-0}   # protobuf's JSON leaves a zero exit_status out
check "containerd /tasks/exit of $FN: exit status" "${exit_status:-no exit event}" 0
last=$(function_log | tail -20)
drain=$(grep -E 'SIGTERM|Shutting down|Stopped|terminated|exit' <<<"$last" | paste -sd '|' -)
if grep 'Shutting down' <<<"$last" > /dev/null && grep 'Stopped' <<<"$last" > /dev/null; then
  pass "drained on SIGTERM (function's output)" "$drain"
else fail "drained on SIGTERM (function's output)" "no 'Shutting down' + 'Stopped' at the end: ${drain:-nothing}"; fi

say ""
say "function's output as faasd's log collector sent it (first and last lines):"
function_log | head -5 | sed 's/^/  /'; say "  ..."; function_log | tail -12 | sed 's/^/  /'
phase "cleanup"
