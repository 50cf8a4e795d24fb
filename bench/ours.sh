# Sourced by the benchmark scripts (run from the repository root): our server's JVM as in its container
# (serial collector, heap 12.5 % of the 1024Mi limit, two malloc arenas, ONNX Runtime's libraries
# unpacked beforehand), the jars, built if missing (with -Ppytorch, so that ENGINE=pytorch can run),
# an RSS sampler and the loopback image server; what a script starts in $pids is stopped when it ends.
# The JVM's default heap, a quarter of the machine's memory, would let the heap (and RSS) grow far past
# what the function needs.
java_opts=${JAVA_OPTS:--XX:+UseSerialGC -Xmx128m}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} DJL_OFFLINE=true OPT_OUT_TRACKING=true
export CLASSIFIER_ENGINE=${ENGINE:-onnxruntime}
bench="java -jar bench/target/bench-0.1.0-SNAPSHOT.jar"
jar=openfaas-function/target/openfaas-function-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ] || [ ! -f bench/target/bench-0.1.0-SNAPSHOT.jar ] \
    || ! ls openfaas-function/target/lib/pytorch-engine-*.jar > /dev/null 2>&1; then
  ./mvnw -q package -DskipTests -Dcli.skip=true -Ppytorch
fi
ort_dir=openfaas-function/target/onnxruntime-native
if [ ! -f "$ort_dir/libonnxruntime.so" ]; then
  mkdir -p "$ort_dir"
  (cd "$ort_dir" && jar xf ../lib/onnxruntime-1.*.jar ai/onnxruntime/native && mv ai/onnxruntime/native/*/*.so . && rm -rf ai)
fi
java_opts="$java_opts -Donnxruntime.native.path=$ort_dir"

rss_samples() { # PID SECONDS -> RSS in MB, once a second for that many seconds
  for _ in $(seq 1 "$2"); do
    awk '/VmRSS/ {print int($2 / 1024)}' /proc/"$1"/status 2>/dev/null || echo 0; sleep 1
  done
}

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start_images() { # bench's loopback image server on :9000 (docs/examples, synthetic JPEGs) until the script ends
  $bench images --port 9000 --dir docs/examples > /dev/null 2>&1 & pids+=($!)
  until curl -sf -o /dev/null http://127.0.0.1:9000/files/chelsea.png; do sleep 0.2; done
}

# What the comparisons measure of a server listening on PORT (process PID), as NAME under $out: serial
# latency and its stages (200 requests of $image), RSS at idle and under 100 clients for $duration, and
# the server total of 256² and 3200² JPEGs.
run_target() { # NAME PORT PID
  local name=$1 port=$2 pid=$3 secs=${duration%s}
  until curl -sf -o /dev/null "http://127.0.0.1:$port/_/health"; do sleep 0.3; done
  curl -sf -o /dev/null "http://127.0.0.1:$port/?url=$image"
  rss_samples "$pid" 5 > "$out/$name-idle-rss.txt"
  $bench load --target "http://127.0.0.1:$port/" --image-url $image --users 1 --requests 200 --duration 300s --out "$out/$name-serial" > /dev/null 2>&1
  rss_samples "$pid" "$secs" > "$out/$name-rss.txt" & local sampler=$!
  $bench load --target "http://127.0.0.1:$port/" --image-url $image --users 100 --spawn-rate 10 --duration "$duration" --out "$out/$name-100u" > /dev/null 2>&1
  wait $sampler
  # 6. Big images: server total for synthetic 256² and 3200² JPEGs from the built-in loopback server.
  $bench sweep --target "http://127.0.0.1:$port/" --sizes 256,3200 --requests-per-size 10 --out "$out/$name-sweep" > /dev/null 2>&1
}

# Our server from JAR, measured as NAME under $out: process start to first answer (3 starts, from a
# class-data-sharing archive made for JAR), then run_target's figures; ENV=VALUE pairs go to the server.
measure_ours() { # NAME JAR [ENV=VALUE...]
  local name=$1 server_jar=$2 cds cmd server
  shift 2
  cds=$(cds_archive "$server_jar" "$out/$name")
  cmd="CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true $* exec java $java_opts -XX:SharedArchiveFile=$cds -jar $server_jar"
  $bench coldstart --runs 3 --image-url "$image" --target http://127.0.0.1:9192/ --spawn "SERVER_PORT=9192 $cmd" \
    --out "$out/$name-start" > /dev/null 2>&1
  (export SERVER_PORT=8082; eval "$cmd") > "$out/$name.log" 2>&1 & server=$!; pids+=($server)
  run_target "$name" 8082 $server
  kill $server; wait $server 2> /dev/null || true
}

# Our container starts from a class-data-sharing archive of one real start and one classification of
# posted bytes and of a URL, made at build time (openfaas-function/Dockerfile); so do our servers here,
# from an archive made now for JAR (the image server must be up). Prints its path. The training run is
# interpreted (-Xint): an archive written while the JIT had methods queued kept some of them from ever
# being compiled (seen once in six: PNG unfiltering and the resize interpreted, a 45 ms cpu stage).
cds_archive() { # JAR PREFIX
  local cds="$2.jsa" log="$2-cds.log" pid
  rm -f "$cds"
  SERVER_PORT=9193 CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true java $java_opts -Xint -XX:ArchiveClassesAtExit="$cds" -jar "$1" > "$log" 2>&1 & pid=$!
  until grep -qs "Ready in" "$log"; do sleep 0.3; done
  curl -sf -o /dev/null -H 'Content-Type: image/png' --data-binary @docs/examples/chelsea.png http://127.0.0.1:9193/
  curl -sf -o /dev/null "http://127.0.0.1:9193/?url=http://127.0.0.1:9000/files/chelsea.png"
  kill -TERM $pid; wait $pid || true
  echo "$cds"
}
