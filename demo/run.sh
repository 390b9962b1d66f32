#!/usr/bin/env bash
# End-to-end demo of Alter for Java, from a fresh clone:
#   1. builds the jars if they are missing (mvn -B -q install -DskipTests -pl agent/dist,resolver-service/service,resolver-service/cli -am: the agent, the service and the CLI);
#   2. starts the resolver service on its embedded store in ./alter-data (a development master
#      key is created there on first start) on http://127.0.0.1:8470, or reuses the one running;
#   3. with the operator CLI (bin/alter): creates an app, stores a Datadog-style key read from
#      stdin and grants it to the app;
#   4. starts a local HTTPS stand-in for the provider that prints the headers it receives;
#   5. runs demo/DemoApp.java, a plain java.net.http.HttpClient app that sends only
#      "alter-grant: <grant id>", under -javaagent:agent/target/alter-agent.jar;
#   6. checks that the provider received DD-API-KEY with the stored key and no alter-grant.
# The service keeps running afterwards (use the CLI against it); --stop stops it at the end.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: demo/run.sh [--stop]
  --stop   stop the resolver service when the demo is done (default: leave it running)
environment: ALTER_DATA_DIR (default ./alter-data), ALTER_PORT (default 8470)
EOF
}

stop_service=false
for arg in "$@"; do
  case "$arg" in
    --stop) stop_service=true ;;
    -h|--help) usage; exit 0 ;;
    *) echo "demo: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

agent_jar=$root/agent/target/alter-agent.jar
service_jar=$root/resolver-service/service/target/alter-resolver-service.jar
cli_jar=$root/resolver-service/cli/target/alter-cli.jar
data_dir=${ALTER_DATA_DIR:-$root/alter-data}
port=${ALTER_PORT:-8470}
url=http://127.0.0.1:$port
admin_key_file=$data_dir/admin.key
service_pid_file=$data_dir/service.pid
service_log=$data_dir/service.log
scratch=$data_dir/demo
quick_jvm=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\ndemo: %s\n' "$*" >&2; exit 1; }

# One field of the CLI's --json output (flat string fields only, which is all the demo needs).
json_field() { tr ',{}' '\n\n\n' | sed -n "s/^[[:space:]]*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" | head -n 1; }

alter() { ALTER_URL=$url ALTER_ADMIN_KEY_FILE=$admin_key_file "$root/bin/alter" "$@"; }

service_ready() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 2 "$url/readyz" 2>/dev/null
  else
    ( exec 3<>"/dev/tcp/127.0.0.1/$port" \
      && printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 \
      && IFS= read -r status <&3 && [[ $status == *" 200"* ]] ) 2>/dev/null
  fi
}

# --- 1. build --------------------------------------------------------------------------------
if [[ ! -f $agent_jar || ! -f $service_jar || ! -f $cli_jar ]]; then
  step "Building the agent, the resolver service and the CLI (first run only)"
  echo "mvn -B -q install -DskipTests -pl agent/dist,resolver-service/service,resolver-service/cli -am"
  mvn -B -q install -DskipTests -pl agent/dist,resolver-service/service,resolver-service/cli -am
fi
for jar in "$agent_jar" "$service_jar" "$cli_jar"; do
  [[ -f $jar ]] || fail "$jar is still missing after the build"
done

# --- 2. resolver service ---------------------------------------------------------------------
mkdir -p "$data_dir" "$scratch"
if service_ready && [[ -f $admin_key_file ]]; then
  step "Resolver service already running at $url (data in $data_dir)"
else
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port is taken by something that is not this demo's service; set ALTER_PORT"
  fi
  step "Starting the resolver service on the embedded store: $url, data in $data_dir"
  ALTER_DATA_DIR=$data_dir ALTER_PORT=$port ALTER_ADMIN_KEY_FILE=$admin_key_file \
    nohup java "${quick_jvm[@]}" -jar "$service_jar" >>"$service_log" 2>&1 &
  echo $! >"$service_pid_file"
  for _ in $(seq 1 120); do
    service_ready && [[ -f $admin_key_file ]] && break
    kill -0 "$(cat "$service_pid_file")" 2>/dev/null || { tail -n 30 "$service_log" >&2; fail "the service exited"; }
    sleep 0.5
  done
  service_ready || { tail -n 30 "$service_log" >&2; fail "the service did not become ready"; }
  echo "ready (pid $(cat "$service_pid_file"), log $service_log; admin key in $admin_key_file)"
fi

stop_if_asked() {
  if $stop_service && [[ -f $service_pid_file ]]; then
    kill "$(cat "$service_pid_file")" 2>/dev/null || true
    rm -f "$service_pid_file"
    echo "resolver service stopped"
  fi
}

# --- 3. stand-in provider (HTTPS on 127.0.0.1, a throw-away self-signed certificate) ----------
step "Starting a local HTTPS stand-in for the provider API"
store_password=alter-demo
rm -f "$scratch/provider.p12" "$scratch/trust.p12" "$scratch/provider.pem" "$scratch/provider.port"
keytool -genkeypair -alias provider -keyalg EC -groupname secp256r1 -dname CN=localhost \
  -ext SAN=dns:localhost,ip:127.0.0.1 -validity 7 -storetype PKCS12 \
  -keystore "$scratch/provider.p12" -storepass "$store_password" -keypass "$store_password" 2>/dev/null
keytool -exportcert -rfc -alias provider -keystore "$scratch/provider.p12" \
  -storepass "$store_password" -file "$scratch/provider.pem" 2>/dev/null
keytool -importcert -noprompt -alias provider -file "$scratch/provider.pem" -storetype PKCS12 \
  -keystore "$scratch/trust.p12" -storepass "$store_password" >/dev/null 2>&1
java "${quick_jvm[@]}" "$root/demo/StandInProvider.java" "$scratch/provider.p12" "$store_password" \
  "$scratch/provider.port" >"$scratch/provider.log" 2>&1 &
provider_pid=$!
trap 'kill $provider_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  [[ -s $scratch/provider.port ]] && break
  kill -0 $provider_pid 2>/dev/null || { cat "$scratch/provider.log" >&2; fail "the stand-in provider exited"; }
  sleep 0.25
done
[[ -s $scratch/provider.port ]] || fail "the stand-in provider did not start"
provider_origin="https://localhost:$(cat "$scratch/provider.port")"
echo "stand-in provider listening at $provider_origin"

# --- 4. operator: app, secret from stdin, grant ----------------------------------------------
step "Operator: create an app, store a Datadog-style key (from stdin) and grant it, with bin/alter"
app_json=$(alter --json apps create "demo-$(date +%Y%m%d-%H%M%S)-$$")
app_id=$(json_field app_id <<<"$app_json")
app_key=$(json_field key <<<"$app_json")
[[ $app_id == app_* && $app_key == alter_key_app_* ]] || fail "unexpected answer from 'alter apps create'"
umask 077
printf '%s' "$app_key" >"$scratch/app.key"
unset app_key app_json
echo "bin/alter apps create demo-…            -> $app_id (its app key is in $scratch/app.key)"

# A made-up key that looks like a Datadog API key; it exists only in this shell and the service.
demo_key=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
secret_json=$(printf '%s' "$demo_key" | alter --json secrets store --app "$app_id" --provider datadog \
  --label demo-monitoring --destination "$provider_origin")
secret_id=$(json_field secret_id <<<"$secret_json")
[[ $secret_id == ms_* ]] || fail "unexpected answer from 'alter secrets store'"
echo "printf … | bin/alter secrets store --provider datadog --destination $provider_origin -> $secret_id"
echo "  (the service shows only metadata and a fingerprint: $(json_field fingerprint <<<"$secret_json"))"

grant_json=$(alter --json grants create --secret "$secret_id" --label demo-monitoring --system)
grant_id=$(json_field grant_id <<<"$grant_json")
[[ $grant_id == grt_* ]] || fail "unexpected answer from 'alter grants create'"
echo "bin/alter grants create --secret $secret_id --system -> $grant_id"

# --- 5. the app, under the agent -------------------------------------------------------------
step "App: java -javaagent:agent/target/alter-agent.jar demo/DemoApp.java (sends only alter-grant)"
lines_before=$(wc -l <"$scratch/provider.log")
ALTER_RESOLVER_URL=$url ALTER_API_KEY_FILE=$scratch/app.key \
  java "${quick_jvm[@]}" -javaagent:"$agent_jar" \
  -Djavax.net.ssl.trustStore="$scratch/trust.p12" -Djavax.net.ssl.trustStorePassword="$store_password" \
  "$root/demo/DemoApp.java" "$provider_origin/api/v1/validate" "$grant_id" \
  || { stop_if_asked; fail "the demo app failed"; }
sleep 0.3

step "What the provider received"
received=$(tail -n +"$((lines_before + 1))" "$scratch/provider.log")
printf '%s\n' "$received"

if grep -qi "^ *dd-api-key: $demo_key\$" <<<"$received" && ! grep -qi "alter-grant" <<<"$received"; then
  echo
  echo "OK: the provider received DD-API-KEY with the key stored in step 4, and no alter-grant header;"
  echo "    the app only ever held the grant id."
else
  stop_if_asked
  fail "the provider did not receive the expected DD-API-KEY (or saw alter-grant)"
fi
unset demo_key

# --- 6. what next ----------------------------------------------------------------------------
if $stop_service; then
  stop_if_asked
else
  step "The resolver service keeps running at $url (pid $(cat "$service_pid_file" 2>/dev/null || echo '?'))"
  cat <<EOF
Use the CLI against it:
  export ALTER_URL=$url
  export ALTER_ADMIN_KEY_FILE=$admin_key_file
  bin/alter apps list
  bin/alter secrets show $secret_id
  bin/alter audit --grant $grant_id
  printf '%s' "\$NEW_KEY" | bin/alter secrets rotate $secret_id
  bin/alter grants revoke $grant_id
Stop it with: kill \$(cat $service_pid_file)   (or run demo/run.sh --stop next time)
EOF
fi
