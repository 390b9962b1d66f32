#!/usr/bin/env bash
# Alter benchmarks: one command, a Markdown table on stdout.
#
#   integration-tests/benchmarks/run.sh [--quick] [--sections 1,2,...] [--families jdk,okhttp,...] [--skip-build]
#                                       [--jfr DIR [--jfr-settings FILE.jfc]]  (records each request-loop
#                                       child, with JFR's profile settings unless told; summarise a
#                                       recording with dev.alter.bench.JfrTopFrames)
#
# Builds the agent jar, the resolver-service jar and this module (with the OpenTelemetry Java
# agent copied from Maven Central as the start-up reference), installs nginx and wrk with apt-get
# when they are missing, then runs every benchmark against loopback only and prints the results: the date,
# machine, JDK and this command, each figure beside its same-run baseline and target.
# --quick finishes in a few minutes (for development); the default (full) mode takes longer.
# The table is also written to integration-tests/benchmarks/target/bench-results.md.
# ALTER_BENCH_CHILD_JVM_ARGS adds JVM flags to every request-loop child, for diagnosis only (the
# children answer on stdout, so a log must go to a file: -Xlog:jit+compilation=debug:file=/tmp/c%p.log).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
command_line="integration-tests/benchmarks/run.sh${*:+ $*}"

bench_args=()
jfr_args=()
build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) bench_args+=(--quick) ;;
    --sections|--families)
      [[ $# -ge 2 ]] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
      bench_args+=("$1" "$2"); shift ;;
    --skip-build) build=0 ;;
    --jfr)
      [[ $# -ge 2 ]] || { echo "run.sh: --jfr needs a directory" >&2; exit 2; }
      mkdir -p "$2"; jfr_args+=(-Dalter.bench.jfr="$(cd "$2" && pwd)"); shift ;;
    --jfr-settings)
      [[ $# -ge 2 && -f "$2" ]] || { echo "run.sh: --jfr-settings needs a .jfc file" >&2; exit 2; }
      jfr_args+=(-Dalter.bench.jfr.settings="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"); shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "[run.sh] $*" >&2; }

# nginx, for the sidecar-proxy comparison (a foreground child of the benchmark; never a service),
# and wrk, the load generator of the resolver-service throughput section
find_tool() { command -v "$1" 2>/dev/null || { [[ -x "/usr/sbin/$1" ]] && echo "/usr/sbin/$1"; } || true; }
require_tool() {
  local path
  path="$(find_tool "$1")"
  if [[ -z "$path" ]]; then
    log "$1 is missing: installing the Debian package with apt-get"
    local sudo_cmd=()
    [[ "$(id -u)" -eq 0 ]] || sudo_cmd=(sudo -n)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get install -y -q "$1" >&2 \
      || { "${sudo_cmd[@]}" apt-get update -q >&2 && "${sudo_cmd[@]}" apt-get install -y -q "$1" >&2; }
    path="$(find_tool "$1")"
    [[ -n "$path" ]] || { echo "run.sh: could not install $1" >&2; exit 1; }
  fi
  echo "$path"
}
nginx_bin="$(require_tool nginx)"
wrk_bin="$(require_tool wrk)"

if [[ "$build" -eq 1 ]]; then
  log "building the agent, the resolver service and the benchmark module"
  (cd "$root" && mvn -B -q install -DskipTests -pl agent/dist,resolver-service/service,integration-tests/benchmarks,integration-tests/spring-boot/app -am >&2)
fi

target="$here/target"
otel_jar="$target/reference-agents/opentelemetry-javaagent.jar"
# ALTER_BENCH_AGENT_JAR / ALTER_BENCH_SERVICE_JAR measure other builds (e.g. a release) instead
source_agent="${ALTER_BENCH_AGENT_JAR:-$root/agent/target/alter-agent.jar}"
source_service="${ALTER_BENCH_SERVICE_JAR:-$root/resolver-service/service/target/alter-resolver-service.jar}"
for f in "$source_agent" "$source_service" "$otel_jar" "$target/bench-lib"; do
  [[ -e "$f" ]] || { echo "run.sh: $f is missing (run without --skip-build)" >&2; exit 1; }
done
# the run uses private copies of everything it loads: a rebuild in this checkout (of agent/,
# resolver-service/ or this module) during a run of several minutes must not change them under it
module_jar="$(ls "$target"/alter-benchmarks-*.jar 2>/dev/null | grep -v -- '-tests\.jar$' | head -1 || true)"
[[ -n "$module_jar" ]] || { echo "run.sh: the benchmark module jar is missing (run without --skip-build)" >&2; exit 1; }
artifacts="$target/bench-run"
rm -rf "$artifacts"
mkdir -p "$artifacts/lib"
agent_jar="$artifacts/alter-agent.jar"
service_jar="$artifacts/alter-resolver-service.jar"
cp "$source_agent" "$agent_jar"
cp "$source_service" "$service_jar"
# ALTER_BENCH_PREVIOUS_AGENT_JAR adds that build to the start-up section (before/after in one run)
previous_args=()
if [[ -n "${ALTER_BENCH_PREVIOUS_AGENT_JAR:-}" ]]; then
  cp "$ALTER_BENCH_PREVIOUS_AGENT_JAR" "$artifacts/previous-alter-agent.jar"
  previous_args=(-Dalter.bench.previous.agent.jar="$artifacts/previous-alter-agent.jar")
fi
cp "$module_jar" "$artifacts/lib/alter-benchmarks.jar"
cp "$target"/bench-lib/*.jar "$artifacts/lib/"
if ! agent_check="$(java -javaagent:"$agent_jar" -version 2>&1)"; then
  echo "run.sh: the JVM refuses $source_agent as an agent:" >&2
  echo "$agent_check" >&2
  exit 1
fi

exec java -Xmx1g -XX:+UseSerialGC "${jfr_args[@]}" "${previous_args[@]}" \
  -cp "$artifacts/lib/*" \
  -Dalter.agent.jar="$agent_jar" \
  -Dalter.service.jar="$service_jar" \
  -Dalter.springboot.app.jar="$root/integration-tests/spring-boot/app/target/alter-it-spring-boot-app.jar" \
  -Dalter.it.work="$target/bench-work" \
  dev.alter.bench.BenchmarkRun "${bench_args[@]}" \
  --nginx "$nginx_bin" --wrk "$wrk_bin" --otel-agent "$otel_jar" \
  --command "$command_line" --out "$target/bench-results.md"
