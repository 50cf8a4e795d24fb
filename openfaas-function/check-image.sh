#!/usr/bin/env bash
# Builds the function's container image from openfaas-function/Dockerfile with podman and proves it:
# it starts as its non-root user under a 1024 MB memory limit, of-watchdog comes up, /_/ready turns 200
# after the warm-up, GET and POST classify chelsea.png, and SIGTERM drains and stops it.
#   openfaas-function/check-image.sh [ENGINE]       ENGINE: onnxruntime (default) or pytorch
#   openfaas-function/check-image.sh --base-images  only make the base images below (faasd-check.sh uses it)
# Needs root and Debian's podman, buildah, runc and debootstrap (installed when missing).
#
# No registry for base images is reachable on the machines this project is built on, so the three
# images the Dockerfile starts FROM are made here from Debian packages and tagged with the names it uses:
# a JDK 17 with Maven (for maven:3.9.11-eclipse-temurin-17), a JRE 17 (for eclipse-temurin:17-jre-noble),
# and an image holding only /fwatchdog, the of-watchdog binary ../shared/tools/of-watchdog-VERSION (for
# ghcr.io/openfaas/of-watchdog:VERSION, the Dockerfile's FROM; the tests run the function behind the same
# release, the pom's of-watchdog.version). Elsewhere, podman or docker pulls the real ones. The Maven stage
# downloads the project's dependencies (--network=host); the machine's own certificate authorities
# (/usr/local/share/ca-certificates, which a network that inspects TLS needs) go into the local JDK image.
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-onnxruntime}
watchdog_image=$(awk '$1 == "FROM" && $2 ~ /of-watchdog:/ {print $2; exit}' openfaas-function/Dockerfile)
watchdog_version=${watchdog_image##*:}
watchdog=${WATCHDOG:-../shared/tools/of-watchdog-$watchdog_version}
tested=$(sed -n 's|.*<of-watchdog.version>\(.*\)</of-watchdog.version>.*|\1|p' pom.xml)
[ "$tested" = "$watchdog_version" ] \
  || { echo "the Dockerfile's $watchdog_image is not the of-watchdog the tests use (pom.xml: $tested)"; exit 1; }
work=${WORK:-/tmp/imgfn-image}
image=localhost/imgfn/image-classifier:$engine
podman="../shared/tools/podman-here"
[ -x "$podman" ] || podman="podman --runtime runc"

command -v podman > /dev/null && command -v debootstrap > /dev/null \
  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc debootstrap; }
mkdir -p "$work"

base_image() { # NAME PACKAGES: a Debian bookworm image with those packages, tagged NAME
  local name=$1 packages=$2 root="$work/$(echo "$1" | tr '/:' '__')"
  $podman image exists "$name" && return
  rm -rf "$root"
  debootstrap --variant=minbase bookworm "$root" > "$work/debootstrap.log"
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
  mount -t proc proc "$root/proc"
  chroot "$root" bash -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends $packages && apt-get clean && rm -rf /var/lib/apt/lists/*" > "$work/apt.log"
  umount "$root/proc"
  tar -C "$root" -c . | $podman import - "$name" > /dev/null
  echo "made $name from Debian packages: $packages"
}
base_image docker.io/library/maven:3.9.11-eclipse-temurin-17 "openjdk-17-jdk-headless maven"
base_image docker.io/library/eclipse-temurin:17-jre-noble "openjdk-17-jre-headless"
if ! $podman image exists "$watchdog_image"; then
  "$watchdog" --version 2>&1 | grep "Version: $watchdog_version\b" > /dev/null \
    || { echo "$watchdog is not of-watchdog $watchdog_version (the Dockerfile's $watchdog_image)"; exit 1; }
  rm -rf "$work/watchdog" && mkdir -p "$work/watchdog" && cp "$watchdog" "$work/watchdog/fwatchdog"
  tar -C "$work/watchdog" -c fwatchdog | $podman import - "$watchdog_image" > /dev/null
  echo "made $watchdog_image from $watchdog"
fi
[ "$engine" != --base-images ] || exit 0

echo "== build ($engine)"
$podman build --network=host --build-arg ENGINE="$engine" -t "$image" -f openfaas-function/Dockerfile . > "$work/build.log" 2>&1 \
  || { tail -30 "$work/build.log"; exit 1; }
$podman image inspect "$image" --format 'image size: {{.Size}} bytes, user: {{.Config.User}}'

java -jar bench/target/bench-0.1.0-SNAPSHOT.jar images --port 9000 --dir docs/examples > /dev/null 2>&1 & images=$!
$podman rm -f imgfn-check > /dev/null 2>&1 || true
trap '$podman rm -f imgfn-check > /dev/null 2>&1 || true; kill $images 2>/dev/null || true' EXIT
echo "== run: --memory 1024m, host network (of-watchdog on 127.0.0.1:8080, its metrics on 8081)"
started=$(date +%s%N)
$podman run -d --name imgfn-check --network=host --memory 1024m \
  -e CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true "$image" > /dev/null
until curl -sf -o /dev/null http://127.0.0.1:8080/_/ready; do
  sleep 0.2
  [ "$(( ($(date +%s%N) - started) / 1000000000 ))" -lt 120 ] || { $podman logs imgfn-check | tail -20; exit 1; }
done
echo "/_/ready 200 after $(( ($(date +%s%N) - started) / 1000000 )) ms from podman run"
echo "processes: $($podman top imgfn-check user comm | tail -n +2 | sort -u | tr -s ' ' | paste -sd ';')"
user=$($podman top imgfn-check user | tail -n +2 | sort -u)
[ "$user" = "app" ] || { echo "expected every process to run as app, got: $user"; exit 1; }
get=$(curl -s -w ' %{http_code}' "http://127.0.0.1:8080/?url=http://127.0.0.1:9000/files/chelsea.png")
post=$(curl -s -w ' %{http_code}' -H 'Content-Type: image/png' --data-binary @docs/examples/chelsea.png http://127.0.0.1:8080/)
echo "GET:  $get"
echo "POST: $post"
for answer in "$get" "$post"; do
  case "$answer" in *'"Egyptian cat"'*' 200') ;; *) echo "classification failed"; exit 1 ;; esac
done
$podman stats --no-stream --format 'memory: {{.MemUsage}}' imgfn-check
echo "== SIGTERM"
$podman stop -t 40 imgfn-check > /dev/null
echo "exit code: $($podman inspect imgfn-check --format '{{.State.ExitCode}}')"
$podman logs imgfn-check 2>&1 | grep -E "Shutting down|Stopped|SIGTERM|Forked|Ready in" || true
