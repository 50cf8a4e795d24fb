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
