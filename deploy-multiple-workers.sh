#!/usr/bin/env bash
# Deploys N chatgpt-security-scanner workers (reference setup: 5 workers x 4 keys) on this machine,
# with docker compose, on Kubernetes or on Cloud Run. Run with --help for the options.
#
# The deployment files are checked in under docker/ (a Helm chart, a compose file): this script checks
# the worker files, creates the secrets, renders and applies those files, and waits.
# Each worker's keys live in conf/workers/worker-N.env (git-ignored; copy the .example next to it).
# The script never prints a key: commands it shows carry the alias key-0, key-1, ... instead.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROG="${0##*/}"
APP_LABEL="chatgpt-security-scanner"
CHART="$ROOT/docker/helm/chatgpt-security-scanner"
COMPOSE_FILE="$ROOT/docker/compose/docker-compose.yml"
# the workers the compose file defines
COMPOSE_WORKERS=5
HELM_RELEASE=scanner
# the chart's namePrefix: scanner-worker-N, scanner-db, scanner-http, ...
NAME_PREFIX=scanner
CLOUDRUN_NO_CLUSTER="Cloud Run services cannot accept instance-to-instance connections, so these workers do not form a cluster and sharding is off."
CLOUDRUN_SHARED_DB="The instances of each service share PostgreSQL: any instance answers for any scan (live events by LISTEN/NOTIFY) and they divide their keys' limits."

# Variables an env file may carry whose values are safe to show in --dry-run output.
# A key's own provider settings (OPENAI_BASE_URL_1, ...) are as public as the pool-wide ones.
PUBLIC_VARS=" OPENAI_BASE_URL OPENAI_MODEL OPENAI_AUTH_STYLE OPENAI_API_VERSION OPENAI_CONTEXT_TOKENS SCANNER_ALLOW_NO_AUTH SCANNER_LOG_FORMAT SCANNER_LOG_LEVEL "

usage() {
  cat <<EOF
Usage: $PROG [--target local|compose|k8s|cloudrun] [options]

Deploys N scanner workers (default 5) that form one Hazelcast cluster (except on Cloud Run).
Worker N reads its keys from <conf-dir>/worker-N.env (copy worker-N.env.example and fill it in).

Actions (default: deploy):
  --down                 stop / remove what the target deployed
  --status               show each worker's state
  --check-keys           ask the provider's GET /models with each key of each worker file and
                         report the HTTP status per key alias (any target; needs curl)
  --dry-run              print every command and what it would apply, run nothing
                         (keys are shown as key-0, key-1, ..., never their values)

Options:
  --target T             local (default), compose, k8s or cloudrun
  --workers N            number of workers, 1-20 (default 5; compose: 1-$COMPOSE_WORKERS)
  --out DIR              where rendered files, pids and logs go (default target/deploy)
  --conf-dir DIR         where worker-N.env files are (default conf/workers)
  --jar PATH             local: the jar to run (default target/chatgpt-security-scanner.jar)
  --http-port-base P     local: worker N listens on HTTP port P+N (default 8080)
  --cluster-port-base P  local: worker N's Hazelcast port is P+N (default 5700)
  --store S              local: auto (default), postgres or memory; see "local" below
  --db-port P            local: port of the private PostgreSQL (default 55432)
  --allow-no-keys        local: start a worker whose worker-N.env is missing, with no key
                         (local checks only) instead of refusing
  --image NAME           compose/k8s/cloudrun: image (default chatgpt-security-scanner:latest;
                         cloudrun: REGION-docker.pkg.dev/PROJECT/scanner/chatgpt-security-scanner:latest)
  --namespace NS         k8s: namespace (default default)
  --project ID           cloudrun: Google Cloud project (required unless --dry-run)
  --region R             cloudrun: region (required unless --dry-run)
  --keys-per-worker K    cloudrun: secrets mounted per worker (default 4)
  --min-instances N      cloudrun: per service (default 1)
  --max-instances N      cloudrun: per service (default 1; above 1 needs --db-url-secret)
  --db-url-secret NAME   cloudrun: Secret Manager secret holding SCANNER_DB_URL (PostgreSQL, no
                         password in it): every instance of every service answers for every scan
  --db-password-secret NAME
                         cloudrun: secret holding SCANNER_DB_PASSWORD (default scanner-db-password)
  --db-user U            cloudrun: SCANNER_DB_USER (default scanner)
  -h, --help             this text

Targets:
  local     worker N on 127.0.0.1, HTTP port 8080+N, Hazelcast port 5700+N (so 8081-8085 and
            5701-5705 for five workers); pids and logs in <out>/local/worker-N.{pid,log}. Starts
            worker 1, waits for /health/ready, then the others one by one, then waits until
            GET /api/v1/cluster lists N members. Store: SCANNER_DB_URL of the environment if set;
            else a private PostgreSQL in <out>/local/postgres (started or reused; --down stops it)
            when initdb and pg_ctl are installed; else SCANNER_STORE=memory.
  compose   docker compose -f docker/compose/docker-compose.yml up -d: PostgreSQL and the
            workers (HTTP on 127.0.0.1:8081..); creates <conf-dir>/db/password when missing.
  k8s       helm template of docker/helm/chatgpt-security-scanner into <out>/k8s/manifests.yaml;
            creates Secret scanner-worker-N-keys from worker-N.env and scanner-db (SCANNER_DB_URL,
            SCANNER_DB_USER, SCANNER_DB_PASSWORD_FILE of the environment for an external server,
            else the chart's PostgreSQL with a random password); kubectl apply; waits for rollouts.
  cloudrun  runs gcloud run deploy for N unclustered services, keys from Secret Manager. With
            --db-url-secret the instances of a service (up to --max-instances) share PostgreSQL:
            scans, live events (LISTEN/NOTIFY) and their keys' budgets; without it, one instance each.

Environment (local):
  SCANNER_CMD            command that replaces "java ... -jar JAR" (e.g. for a test double)
  SCANNER_JAVA_OPTS      JVM options per worker (default "-XX:MaxRAMPercentage=15 -XX:ThreadPriorityPolicy=1":
                         five JVMs share the RAM, and big scans' preparation runs at a lower OS priority)
  SCANNER_ADMIN_TOKEN    token for GET /api/v1/cluster (default: first admin/API token of worker-1.env)
  DEPLOY_READY_TIMEOUT   seconds to wait for each worker's readiness (default 120)
  DEPLOY_CLUSTER_TIMEOUT seconds to wait for all members in the cluster view (default 90)
  DEPLOY_STOP_TIMEOUT    seconds between TERM and KILL on --down (default 20)

Exit: 0 done, 1 failed, 2 bad usage or bad worker files.
EOF
}

usage_error() {
  echo "$PROG: $*" >&2
  echo "Try '$PROG --help'." >&2
  exit 2
}

fail() {
  echo "error: $*" >&2
  exit 1
}

warn() {
  echo "warning: $*" >&2
}

abspath() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$PWD/$1" ;;
  esac
}

is_count() {
  [[ $1 =~ ^[0-9]+$ ]] && (( 10#$1 >= $2 && 10#$1 <= $3 ))
}

# Prints a command the way a shell would read it back.
show() {
  local out="+" word
  for word in "$@"; do
    if [[ $word =~ ^[A-Za-z0-9_@%+=:,./~^-]+$ ]]; then
      out+=" $word"
    else
      out+=" $(printf '%q' "$word")"
    fi
  done
  printf '%s\n' "$out"
}

# Runs a command, or only shows it under --dry-run.
run() {
  show "$@"
  if [[ $DRY_RUN == false ]]; then
    "$@"
  fi
}

# ---------------------------------------------------------------------------------------------
# Worker env files: KEY=value lines, read as data (the same meaning docker's env_file and
# kubectl's --from-env-file give them), never executed.

ENV_NAMES=()
ENV_VALUES=()

env_file() {
  printf '%s/worker-%s.env\n' "$CONF_DIR" "$1"
}

load_env_file() {
  local file=$1 line lineno=0 name value
  ENV_NAMES=()
  ENV_VALUES=()
  while IFS= read -r line || [[ -n $line ]]; do
    lineno=$((lineno + 1))
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
    # the offending line is not echoed: it may hold a key
    [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] \
      || { echo "error: $file line $lineno is not NAME=value" >&2; exit 2; }
    name=${BASH_REMATCH[2]}
    value=${BASH_REMATCH[3]}
    if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then
      value=${BASH_REMATCH[1]}
    fi
    ENV_NAMES+=("$name")
    ENV_VALUES+=("$value")
  done <"$file"
}

env_value() {
  local i
  for i in "${!ENV_NAMES[@]}"; do
    if [[ ${ENV_NAMES[$i]} == "$1" ]]; then
      printf '%s\n' "${ENV_VALUES[$i]}"
      return 0
    fi
  done
  return 1
}

is_key_var() {
  [[ $1 =~ ^OPENAI_API_KEY(_[0-9]+)?$ ]]
}

key_number() {
  if [[ $1 == OPENAI_API_KEY ]]; then echo 0; else echo $((10#${1#OPENAI_API_KEY_})); fi
}

# A key's own provider setting (OPENAI_BASE_URL_3 for OPENAI_API_KEY_3), else the pool-wide one.
key_setting() {
  local var=$1 suffix=${2#OPENAI_API_KEY} value=""
  if [[ -n $suffix ]]; then value=$(env_value "$var$suffix" || true); fi
  if [[ -z $value ]]; then value=$(env_value "$var" || true); fi
  printf '%s' "$value"
}

# The models list a key can be checked against: an Azure deployment URL has none, its resource has one.
models_url() {
  local base=$1 version=$2 url
  if [[ $base == */openai/deployments/* ]]; then url="${base%%/openai/deployments/*}/openai/models"; else url="$base/models"; fi
  if [[ -n $version ]]; then url="$url?api-version=$version"; fi
  printf '%s' "$url"
}

# The service's alias for a key variable: its index among the non-empty keys in numeric order.
key_alias() {
  local own i rank=0 n
  own=$(key_number "$1")
  for i in "${!ENV_NAMES[@]}"; do
    if is_key_var "${ENV_NAMES[$i]}" && [[ -n ${ENV_VALUES[$i]} ]]; then
      n=$(key_number "${ENV_NAMES[$i]}")
      if (( n < own )); then rank=$((rank + 1)); fi
    fi
  done
  echo "key-$rank"
}

masked_assignment() {
  local name=$1 value=$2
  if is_key_var "$name"; then
    printf "%s='<%s>'\n" "$name" "$(key_alias "$name")"
  elif [[ $PUBLIC_VARS == *" $name "* || $PUBLIC_VARS == *" ${name%_[0-9]*} "* && $name =~ _[0-9]+$ ]]; then
    printf '%s=%q\n' "$name" "$value"
  else
    printf "%s='<hidden>'\n" "$name"
  fi
}

key_count() {
  local i count=0
  for i in "${!ENV_NAMES[@]}"; do
    if is_key_var "${ENV_NAMES[$i]}" && [[ -n ${ENV_VALUES[$i]} ]]; then count=$((count + 1)); fi
  done
  echo "$count"
}

# Problems with worker N's file stop a real run (exit 2) and are only warnings under --dry-run.
# $2 = "open" when the worker listens on a non-loopback address (tokens needed).
check_worker_file() {
  local n=$1 bind=$2 file problems=() i
  file=$(env_file "$n")
  ENV_NAMES=()
  ENV_VALUES=()
  if [[ ! -f $file ]]; then
    if [[ $TARGET == local && $ALLOW_NO_KEYS == true ]]; then
      warn "$file is missing: worker $n starts with no key (local checks only)"
      return 0
    fi
    problems+=("$file is missing: cp $file.example $file, then put worker $n's keys in it")
  else
    load_env_file "$file"
    for i in "${!ENV_VALUES[@]}"; do
      if [[ ${ENV_VALUES[$i]} == *replace-me* ]]; then
        problems+=("$file: ${ENV_NAMES[$i]} still holds the placeholder")
      fi
    done
    if [[ $(key_count) == 0 && $ALLOW_NO_KEYS == false ]]; then
      problems+=("$file has no OPENAI_API_KEY*: add keys, or pass --allow-no-keys for local checks only")
    fi
    if [[ $bind == open && -z $(env_value SCANNER_API_TOKENS || true) \
          && $(env_value SCANNER_ALLOW_NO_AUTH || true) != true ]]; then
      problems+=("$file: set SCANNER_API_TOKENS (the same in every worker file): on $TARGET the worker listens on 0.0.0.0 and refuses to start without tokens")
    fi
  fi
  if (( ${#problems[@]} > 0 )); then
    for i in "${problems[@]}"; do
      if [[ $DRY_RUN == true ]]; then warn "$i (a real run stops here)"; else echo "error: $i" >&2; fi
    done
    [[ $DRY_RUN == true ]] || exit 2
  fi
}

load_worker_env() {
  ENV_NAMES=()
  ENV_VALUES=()
  if [[ -f $(env_file "$1") ]]; then load_env_file "$(env_file "$1")"; fi
}

check_all_worker_files() {
  local n
  for ((n = 1; n <= WORKERS; n++)); do
    check_worker_file "$n" "$1"
  done
}

# ---------------------------------------------------------------------------------------------
# local: N JVMs on 127.0.0.1

local_dir() { printf '%s/local\n' "$OUT"; }
http_port() { echo $((HTTP_PORT_BASE + $1)); }
hz_port() { echo $((CLUSTER_PORT_BASE + $1)); }

local_members() {
  if ((WORKERS == 1)); then
    echo "127.0.0.1:$(hz_port 1)"
  else
    echo "127.0.0.1:$(hz_port 1)-$(hz_port "$WORKERS")"
  fi
}

port_busy() {
  if command -v ss >/dev/null 2>&1 && [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]; then
    return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

worker_command() {
  if [[ -n ${SCANNER_CMD:-} ]]; then
    read -r -a WORKER_CMD <<<"$SCANNER_CMD"
  else
    local opts=()
    read -r -a opts <<<"${SCANNER_JAVA_OPTS:--XX:MaxRAMPercentage=15 -XX:ThreadPriorityPolicy=1}"
    WORKER_CMD=(java "${opts[@]}" -jar "$JAR")
  fi
  if command -v setsid >/dev/null 2>&1; then
    # its own session: a Ctrl-C or a closed terminal aimed at this script does not reach the workers
    WORKER_CMD=(setsid "${WORKER_CMD[@]}")
  fi
  WORKER_CMD+=(serve)
}

# Settings that make worker N distinct; they win over the same names in worker-N.env.
worker_settings() {
  local n=$1
  WORKER_ENV=(
    "PORT=$(http_port "$n")"
    "HTTP_HOST=127.0.0.1"
    "CLUSTER_HOST=127.0.0.1"
    "CLUSTER_PORT=$(hz_port "$n")"
    "CLUSTER_MEMBERS=$(local_members)"
    "${DB_SETTINGS[@]}"
  )
}

pid_file() { printf '%s/worker-%s.pid\n' "$(local_dir)" "$1"; }
# "HTTP-port Hazelcast-port" of a started worker, so --status needs no port options
ports_file() { printf '%s/worker-%s.ports\n' "$(local_dir)" "$1"; }
log_file() { printf '%s/worker-%s.log\n' "$(local_dir)" "$1"; }

# A pid file may outlive its process and the pid be reused: only a process running "serve" is ours.
live_worker_pid() {
  local file pid args
  file=$(pid_file "$1")
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  args=$(ps -o args= -p "$pid" 2>/dev/null) || return 1
  [[ " $args " == *" serve "* ]] || return 1
  echo "$pid"
}

http_code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$1" 2>/dev/null || true
}

start_local_worker() {
  local n=$1 i assignments=()
  worker_settings "$n"
  for i in "${!ENV_NAMES[@]}"; do
    assignments+=("$(masked_assignment "${ENV_NAMES[$i]}" "${ENV_VALUES[$i]}")")
  done
  echo "+ (cd $(printf '%q' "$ROOT") && unset OPENAI_API_KEY OPENAI_API_KEY_1 ... &&" \
    "export ${assignments[*]} ${WORKER_ENV[*]} &&" \
    "exec $(printf '%q ' "${WORKER_CMD[@]}")>>$(printf '%q' "$(log_file "$n")") 2>&1 </dev/null) &" \
    "# worker $n, pid -> $(printf '%q' "$(pid_file "$n")")"
  [[ $DRY_RUN == false ]] || return 0
  (
    cd "$ROOT"
    # only this worker's keys: none inherited from the caller's shell
    while read -r var; do unset "$var"; done < <(compgen -v OPENAI_API_KEY || true)
    unset CLUSTER_PUBLIC_HOST
    # one store for all: what choose_local_store picked, not a leftover of the caller's environment
    if ((${#DB_SETTINGS[@]} > 0)); then
      unset SCANNER_STORE SCANNER_DB_URL SCANNER_DB_USER SCANNER_DB_PASSWORD SCANNER_DB_PASSWORD_FILE
    fi
    for i in "${!ENV_NAMES[@]}"; do export "${ENV_NAMES[$i]}=${ENV_VALUES[$i]}"; done
    for i in "${WORKER_ENV[@]}"; do export "${i?}"; done
    exec "${WORKER_CMD[@]}" >>"$(log_file "$n")" 2>&1 </dev/null
  ) &
  echo "$!" >"$(pid_file "$n")"
  echo "$(http_port "$n") $(hz_port "$n")" >"$(ports_file "$n")"
  STARTED+=("$n")
}

wait_local_ready() {
  local n=$1 url deadline pid
  url="http://127.0.0.1:$(http_port "$n")/health/ready"
  echo "+ wait until GET $url answers 200 (at most ${READY_TIMEOUT}s)"
  [[ $DRY_RUN == false ]] || return 0
  pid=$(<"$(pid_file "$n")")
  deadline=$((SECONDS + READY_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "error: worker $n exited during start-up; last lines of $(log_file "$n"):" >&2
      tail -n 20 "$(log_file "$n")" >&2 || true
      return 1
    fi
    if [[ $(http_code "$url") == 200 ]]; then
      echo "worker $n ready on http://127.0.0.1:$(http_port "$n")"
      return 0
    fi
    sleep 1
  done
  echo "error: worker $n not ready after ${READY_TIMEOUT}s (see $(log_file "$n"))" >&2
  return 1
}

# Token for GET /api/v1/cluster: SCANNER_ADMIN_TOKEN, else the first admin or API token worker 1 has.
cluster_token() {
  local tokens=""
  if [[ -n ${SCANNER_ADMIN_TOKEN:-} ]]; then
    echo "$SCANNER_ADMIN_TOKEN"
    return
  fi
  if [[ -f $(env_file 1) ]]; then
    load_env_file "$(env_file 1)"
    tokens=$(env_value SCANNER_ADMIN_TOKENS || env_value SCANNER_API_TOKENS || true)
  fi
  if [[ -z $tokens ]]; then tokens=${SCANNER_ADMIN_TOKENS:-${SCANNER_API_TOKENS:-}}; fi
  tokens=${tokens%%,*}
  echo "${tokens// /}"
}

# Members in worker 1's view of the cluster; the token travels on stdin, not on the command line.
cluster_members_seen() {
  local url=$1 token=$2 body
  body=$(
    if [[ -n $token ]]; then printf 'header = "Authorization: Bearer %s"\n' "$token"; fi |
      curl -s --max-time 3 -K - "$url" 2>/dev/null
  ) || true
  if command -v jq >/dev/null 2>&1; then
    jq -r '.members | length' <<<"$body" 2>/dev/null || echo 0
  else
    grep -o '"nodeId"' <<<"$body" | wc -l | tr -d ' '
  fi
}

wait_local_cluster() {
  local url token deadline seen=0 hz
  url="http://127.0.0.1:$(http_port 1)/api/v1/cluster"
  echo "+ wait until GET $url lists $WORKERS members (at most ${CLUSTER_TIMEOUT}s; Authorization: Bearer <token> when tokens are set)"
  [[ $DRY_RUN == false ]] || return 0
  token=$(cluster_token)
  deadline=$((SECONDS + CLUSTER_TIMEOUT))
  while ((SECONDS < deadline)); do
    seen=$(cluster_members_seen "$url" "$token")
    if [[ $seen =~ ^[0-9]+$ ]] && ((seen >= WORKERS)); then
      echo "cluster formed: $seen members"
      return 0
    fi
    sleep 2
  done
  hz=$(curl -s --max-time 3 "http://127.0.0.1:$(http_port 1)/health/ready" 2>/dev/null \
    | grep -o '"clusterMembers" *: *[0-9]*' | grep -o '[0-9]*$' || true)
  echo "error: after ${CLUSTER_TIMEOUT}s, GET /api/v1/cluster lists ${seen:-0} of $WORKERS members" \
    "(Hazelcast members seen by worker 1's readiness: ${hz:-unknown}). The workers are left running: check the logs in $(local_dir)," \
    "the Hazelcast ports with '$PROG --status', and stop them with '$PROG --down'." >&2
  return 1
}

# Stops the given workers: TERM, then KILL whatever is still alive after the grace period.
stop_local_workers() {
  local n pid pids=() deadline alive
  for n in "$@"; do
    if pid=$(live_worker_pid "$n"); then
      run kill -TERM "$pid"
      pids+=("$pid")
    elif [[ -f $(pid_file "$n") ]]; then
      echo "worker $n: not running (stale pid file)"
    fi
  done
  if [[ $DRY_RUN == false && ${#pids[@]} -gt 0 ]]; then
    deadline=$((SECONDS + STOP_TIMEOUT))
    while ((SECONDS < deadline)); do
      alive=()
      for pid in "${pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then alive+=("$pid"); fi
      done
      ((${#alive[@]} > 0)) || break
      sleep 1
    done
    for pid in "${pids[@]}"; do
      if kill -0 "$pid" 2>/dev/null; then
        echo "pid $pid ignored TERM for ${STOP_TIMEOUT}s: killing it"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done
  fi
  for n in "$@"; do
    if [[ -f $(pid_file "$n") ]]; then run rm -f "$(pid_file "$n")" "$(ports_file "$n")"; fi
  done
}

local_worker_numbers() {
  local file n
  for file in "$(local_dir)"/worker-*.pid; do
    [[ -f $file ]] || continue
    n=${file##*/worker-}
    echo "${n%.pid}"
  done | sort -n
}

local_deploy() {
  local n busy=()
  STARTED=()
  if [[ $DRY_RUN == false ]]; then
    [[ -n ${SCANNER_CMD:-} || -f $JAR ]] || fail "$JAR not found: build it with 'mvn -B -q package -DskipTests' (or pass --jar)"
    [[ -n ${SCANNER_CMD:-} ]] || command -v java >/dev/null 2>&1 || fail "java (17 or later) is not on the PATH"
    command -v curl >/dev/null 2>&1 || fail "curl is needed to wait for the workers' readiness"
  fi
  for ((n = 1; n <= WORKERS; n++)); do
    if live_worker_pid "$n" >/dev/null; then
      fail "worker $n is already running (pid $(live_worker_pid "$n")): '$PROG --status' or '$PROG --down'"
    fi
    if port_busy "$(http_port "$n")"; then busy+=("$(http_port "$n") (HTTP of worker $n)"); fi
    if port_busy "$(hz_port "$n")"; then busy+=("$(hz_port "$n") (Hazelcast of worker $n)"); fi
  done
  if ((${#busy[@]} > 0)); then
    if [[ $DRY_RUN == true ]]; then
      warn "port(s) in use, a real run stops here: ${busy[*]}"
    else
      fail "port(s) already in use on this machine: ${busy[*]}. Stop what holds them (ss -ltnp) and retry."
    fi
  fi
  check_all_worker_files loopback
  worker_command
  run mkdir -p "$(local_dir)"
  trap 'echo "interrupted: stopping what this run started" >&2; stop_started_local; exit 130' INT TERM
  choose_local_store
  for ((n = 1; n <= WORKERS; n++)); do
    load_worker_env "$n"
    start_local_worker "$n"
    if ! wait_local_ready "$n"; then
      echo "stopping what this run started" >&2
      stop_started_local
      exit 1
    fi
  done
  wait_local_cluster || exit 1
  trap - INT TERM
  echo
  if [[ $DRY_RUN == true ]]; then
    echo "$WORKERS worker(s) would run:"
  else
    echo "$WORKERS worker(s) running:"
  fi
  for ((n = 1; n <= WORKERS; n++)); do
    echo "  worker-$n  http://127.0.0.1:$(http_port "$n")  (Hazelcast 127.0.0.1:$(hz_port "$n"), log $(log_file "$n"))"
  done
  echo "Stop them with: $PROG --down${OUT_ARG}"
}

local_status() {
  local n pid state ready hz hp zp all_ok=0 numbers
  numbers=$(local_worker_numbers)
  if [[ -z $numbers ]]; then
    echo "no local workers (no pid files in $(local_dir))"
    return 1
  fi
  printf '%-9s %-8s %-8s %-6s %-26s %s\n' WORKER PID PROCESS READY HAZELCAST URL
  for n in $numbers; do
    state=dead ready=no hz=closed
    pid=$(<"$(pid_file "$n")")
    read -r hp zp <"$(ports_file "$n")" 2>/dev/null || { hp=$(http_port "$n"); zp=$(hz_port "$n"); }
    if live_worker_pid "$n" >/dev/null; then state=running; fi
    if [[ $(http_code "http://127.0.0.1:$hp/health/ready") == 200 ]]; then ready=yes; fi
    if port_busy "$zp"; then hz=listening; fi
    [[ $state == running && $ready == yes ]] || all_ok=1
    printf '%-9s %-8s %-8s %-6s %-26s %s\n' "worker-$n" "$pid" "$state" "$ready" \
      "127.0.0.1:$zp $hz" "http://127.0.0.1:$hp"
  done
  if local_db_possible 2>/dev/null && local_db_running; then
    echo "PostgreSQL: running on 127.0.0.1:$(<"$(db_dir)/port") ($(db_dir)/data)"
  fi
  return "$all_ok"
}

stop_started_local() {
  stop_local_workers "${STARTED[@]}"
  if [[ ${STARTED_DB:-false} == true ]]; then stop_local_db; fi
}

local_down() {
  local numbers
  numbers=$(local_worker_numbers)
  if [[ -z $numbers ]]; then
    echo "no local workers to stop (no pid files in $(local_dir))"
  else
    # shellcheck disable=SC2086 # one number per word
    stop_local_workers $numbers
    echo "local workers stopped"
  fi
  stop_local_db
}


# The workers' store. A clustered worker needs SCANNER_DB_URL or SCANNER_STORE=memory: with --store
# auto (the default) an SCANNER_DB_URL of the caller's environment is used as it is, else a private
# PostgreSQL is started (or reused) under <out>/local/postgres when its programs are installed, else
# the workers run on memory.
db_dir() { printf '%s/postgres\n' "$(local_dir)"; }

pg_bin_dir() {
  local found
  if found=$(command -v pg_ctl 2>/dev/null) && [[ -x ${found%/*}/initdb ]]; then
    dirname "$(readlink -f "$found")"
    return 0
  fi
  for found in $(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V -r); do
    if [[ -x $found/pg_ctl && -x $found/initdb ]]; then echo "$found"; return 0; fi
  done
  return 1
}

# initdb and the server refuse to run as root: as root they run as the system's postgres user.
as_db_owner() {
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

local_db_possible() {
  PG_BIN=$(pg_bin_dir) || { DB_UNAVAILABLE="no PostgreSQL programs (initdb, pg_ctl) on this machine"; return 1; }
  if ((EUID == 0)) && ! { id postgres >/dev/null 2>&1 && command -v runuser >/dev/null 2>&1; }; then
    DB_UNAVAILABLE="running as root with no 'postgres' user to run PostgreSQL as"
    return 1
  fi
  local reachable
  reachable=$(db_dir)
  while [[ ! -e $reachable ]]; do reachable=${reachable%/*}; done
  if ((EUID == 0)) && ! runuser -u postgres -- test -x "${reachable:-/}"; then
    DB_UNAVAILABLE="the postgres user cannot reach ${reachable:-/} (a folder on the way is closed to it; pass --out elsewhere)"
    return 1
  fi
}

local_db_running() {
  [[ -f $(db_dir)/data/PG_VERSION ]] && as_db_owner "$PG_BIN/pg_ctl" -D "$(db_dir)/data" status >/dev/null 2>&1
}

# Sets DB_SETTINGS (what every worker gets) and says in one line which store the workers use.
choose_local_store() {
  DB_SETTINGS=()
  STARTED_DB=false
  if [[ $STORE != memory && -n ${SCANNER_DB_URL:-} ]]; then
    echo "store: PostgreSQL at SCANNER_DB_URL from the environment (user and password from SCANNER_DB_USER, SCANNER_DB_PASSWORD[_FILE])"
    return 0
  fi
  if [[ $STORE != memory ]] && local_db_possible; then
    DB_SETTINGS=("SCANNER_DB_URL=jdbc:postgresql://127.0.0.1:$DB_PORT/scanner" "SCANNER_DB_USER=scanner"
      "SCANNER_DB_PASSWORD_FILE=$(db_dir)/password")
    start_local_db
    return 0
  fi
  if [[ $STORE == postgres ]]; then fail "--store postgres: $DB_UNAVAILABLE"; fi
  DB_SETTINGS=("SCANNER_STORE=memory")
  echo "store: memory (${DB_UNAVAILABLE:-as asked}): scans live in the cluster's memory and do not survive a restart of all workers"
}

start_local_db() {
  local dir data
  dir=$(db_dir)
  data=$dir/data
  if [[ $DRY_RUN == false ]] && local_db_running; then
    echo "store: reusing the local PostgreSQL on 127.0.0.1:$(<"$dir/port") ($data)"
    DB_SETTINGS[0]="SCANNER_DB_URL=jdbc:postgresql://127.0.0.1:$(<"$dir/port")/scanner"
    return 0
  fi
  echo "store: a local PostgreSQL on 127.0.0.1:$DB_PORT, data in $data (--down stops it; the data stays)"
  if [[ ! -f $data/PG_VERSION ]]; then
    echo "+ initdb -D $(printf '%q' "$data") -U scanner --auth=scram-sha-256 --pwfile=<new random password in $(printf '%q' "$dir/password")>"
  fi
  echo "+ pg_ctl -D $(printf '%q' "$data") -o '-p $DB_PORT -c listen_addresses=127.0.0.1' -w start; createdb scanner"
  [[ $DRY_RUN == false ]] || return 0
  port_busy "$DB_PORT" && fail "port $DB_PORT (PostgreSQL) is in use: pass --db-port P, or --store memory"
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [[ ! -f $data/PG_VERSION ]]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$dir/password")
    # initdb reads the password from a file its own user can open, removed right after
    (umask 077 && cp "$dir/password" "$dir/password.initdb")
    if ((EUID == 0)); then chown postgres "$dir" "$dir/password.initdb"; fi
    as_db_owner "$PG_BIN/initdb" -D "$data" -U scanner --auth=scram-sha-256 --pwfile="$dir/password.initdb" -E UTF8 \
      >"$dir/initdb.log" 2>&1 || { rm -f "$dir/password.initdb"; tail -n 5 "$dir/initdb.log" >&2; fail "initdb failed (log: $dir/initdb.log)"; }
    rm -f "$dir/password.initdb"
  fi
  as_db_owner "$PG_BIN/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
    -o "-p $DB_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir" start >/dev/null \
    || { tail -n 5 "$dir/server.log" >&2; fail "PostgreSQL did not start (log: $dir/server.log)"; }
  echo "$DB_PORT" >"$dir/port"
  STARTED_DB=true
  # the password goes through a pgpass file, never a command line or the environment
  (umask 077 && printf '127.0.0.1:%s:*:scanner:%s\n' "$DB_PORT" "$(<"$dir/password")" >"$dir/pgpass")
  if [[ $(PGPASSFILE=$dir/pgpass "$PG_BIN/psql" -h 127.0.0.1 -p "$DB_PORT" -U scanner -d postgres -tAc \
      "select 1 from pg_database where datname = 'scanner'") != 1 ]]; then
    PGPASSFILE=$dir/pgpass "$PG_BIN/createdb" -h 127.0.0.1 -p "$DB_PORT" -U scanner scanner
  fi
}

stop_local_db() {
  local_db_possible 2>/dev/null || return 0
  if local_db_running; then
    echo "+ pg_ctl -D $(printf '%q' "$(db_dir)/data") -m fast -w stop"
    if [[ $DRY_RUN == false ]]; then
      as_db_owner "$PG_BIN/pg_ctl" -D "$(db_dir)/data" -m fast -w stop >/dev/null
      echo "local PostgreSQL stopped (its data stays in $(db_dir)/data)"
    fi
  fi
}

# ---------------------------------------------------------------------------------------------
# --check-keys: one GET /models per key; the key reaches curl on stdin, never on a command line

key_status_meaning() {
  case "$1" in
    200) echo "ok" ;;
    401) echo "rejected: wrong, revoked or expired key" ;;
    403) echo "forbidden: no access to this project, model list or region" ;;
    404) echo "no /models at this OPENAI_BASE_URL" ;;
    429) echo "rate limit or quota exhausted" ;;
    000) echo "no answer: network, proxy or OPENAI_BASE_URL" ;;
    5*) echo "provider error" ;;
    *) echo "unexpected" ;;
  esac
}

check_keys() {
  local n i name file base style url header code failures=0
  if [[ $DRY_RUN == false ]]; then
    command -v curl >/dev/null 2>&1 || fail "curl is needed for --check-keys"
  fi
  for ((n = 1; n <= WORKERS; n++)); do
    file=$(env_file "$n")
    if [[ ! -f $file ]]; then
      echo "worker-$n: $file is missing"
      failures=$((failures + 1))
      continue
    fi
    load_env_file "$file"
    for i in "${!ENV_NAMES[@]}"; do
      name=${ENV_NAMES[$i]}
      if ! is_key_var "$name" || [[ -z ${ENV_VALUES[$i]} ]]; then continue; fi
      base=$(key_setting OPENAI_BASE_URL "$name")
      base=${base:-https://api.openai.com/v1}
      base=${base%/}
      style=$(key_setting OPENAI_AUTH_STYLE "$name")
      url=$(models_url "$base" "$(key_setting OPENAI_API_VERSION "$name")")
      if [[ $DRY_RUN == true ]]; then
        echo "+ curl -s -o /dev/null -w '%{http_code}' -K - $url  # worker-$n $(key_alias "$name"), header on stdin"
        continue
      fi
      if [[ $style == api-key ]]; then header="api-key: ${ENV_VALUES[$i]}"; else header="Authorization: Bearer ${ENV_VALUES[$i]}"; fi
      code=$(printf 'header = "%s"\n' "$header" \
        | curl -s -o /dev/null -w '%{http_code}' --max-time 20 -K - "$url" 2>/dev/null || true)
      code=${code:-000}
      echo "worker-$n $(key_alias "$name") ($name): HTTP $code, $(key_status_meaning "$code")"
      [[ $code == 200 ]] || failures=$((failures + 1))
    done
  done
  if ((failures > 0)); then
    echo "$failures problem(s). Keys of one OpenAI project share one rate limit: a 429 on one key may come from its siblings."
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# compose: docker/compose/docker-compose.yml as it is checked in

compose_cmd() {
  COMPOSE=(env "SCANNER_IMAGE=$IMAGE" "SCANNER_CONF_DIR=$CONF_DIR" docker compose -f "$COMPOSE_FILE")
}

compose_run() {
  compose_cmd
  if [[ $DRY_RUN == false ]] && ! { command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; }; then
    echo "docker compose is not available here (docker compose version failed). Run:" >&2
    show "${COMPOSE[@]}" "$@" >&2
    exit 1
  fi
  run "${COMPOSE[@]}" "$@"
}

# The password of the compose file's PostgreSQL, a file the postgres and worker containers both read
# (mode 644) in a folder only its owner may enter.
ensure_compose_db_password() {
  local dir=$CONF_DIR/db
  [[ ! -f $dir/password ]] || return 0
  echo "+ create $dir/password (a random password; folder mode 700, file mode 644)"
  [[ $DRY_RUN == false ]] || return 0
  mkdir -p "$dir"
  chmod 700 "$dir"
  (umask 022 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$dir/password")
}

compose_services() {
  local n services=(postgres)
  for ((n = 1; n <= WORKERS; n++)); do services+=("worker-$n"); done
  echo "${services[*]}"
}

compose_deploy() {
  local services
  check_all_worker_files open
  ensure_compose_db_password
  read -r -a services <<<"$(compose_services)"
  compose_run up -d "${services[@]}"
  if [[ $DRY_RUN == false ]]; then
    echo "workers: $(for ((n = 1; n <= WORKERS; n++)); do printf 'http://127.0.0.1:808%s ' "$n"; done)"
  fi
}

compose_down() {
  compose_run down
  echo "the volumes (the database) are kept; remove them too with: docker compose -f $COMPOSE_FILE down --volumes"
}

# ---------------------------------------------------------------------------------------------
# k8s: the Helm chart docker/helm/chatgpt-security-scanner, rendered with helm template, applied with kubectl

k8s_dir() { printf '%s/k8s\n' "$OUT"; }
k8s_manifests() { printf '%s/manifests.yaml\n' "$(k8s_dir)"; }
k8s_values() { printf '%s/values.yaml\n' "$(k8s_dir)"; }
K8S_SELECTOR="app.kubernetes.io/name=$APP_LABEL,app.kubernetes.io/instance=$HELM_RELEASE"

# With SCANNER_DB_URL in the environment the workers use that server; else the chart's PostgreSQL.
k8s_external_db() { [[ -n ${SCANNER_DB_URL:-} ]]; }

# What the options change in the chart's values; everything else is the chart's values.yaml.
write_k8s_values() {
  local n
  mkdir -p "$(k8s_dir)"
  {
    echo "# Generated by $PROG --target k8s from its options; the chart's own defaults are in"
    echo "# docker/helm/chatgpt-security-scanner/values.yaml."
    echo "image: \"$IMAGE\""
    echo "postgresql:"
    if k8s_external_db; then echo "  enabled: false"; else echo "  enabled: true"; fi
    echo "workers:"
    for ((n = 1; n <= WORKERS; n++)); do echo "  - name: worker-$n"; done
  } >"$(k8s_values)"
}

render_k8s() {
  local cmd
  write_k8s_values
  cmd=(helm template "$HELM_RELEASE" "$CHART" --namespace "$NAMESPACE" -f "$(k8s_values)")
  echo "$(show "${cmd[@]}") > $(printf '%q' "$(k8s_manifests)")"
  if ! command -v helm >/dev/null 2>&1; then
    [[ $DRY_RUN == true ]] || fail "helm is not on the PATH: it renders the chart (kubectl applies it)"
    warn "helm is not on the PATH: nothing rendered, so the objects to apply cannot be listed"
    return 0
  fi
  "${cmd[@]}" >"$(k8s_manifests).tmp" || { rm -f "$(k8s_manifests).tmp"; fail "helm template failed"; }
  mv "$(k8s_manifests).tmp" "$(k8s_manifests)"
  echo "rendered $(k8s_manifests): $(grep -c '^kind: ' "$(k8s_manifests)") objects"
  if [[ $DRY_RUN == true ]]; then
    echo "would apply:"
    awk '/^---/ { meta = 0 } /^kind: / { kind = $2 } /^metadata:/ { meta = 1; next }
         meta && /^  name: / { print "  " kind "/" $2; meta = 0 }' "$(k8s_manifests)"
  fi
}

require_kubectl() {
  if [[ $DRY_RUN == true ]] || command -v kubectl >/dev/null 2>&1; then return 0; fi
  echo "kubectl is not on the PATH: nothing was applied. Run:" >&2
  show kubectl -n "$NAMESPACE" apply -f "$(k8s_manifests)" >&2
  exit 1
}

k8s_secret_exists() {
  [[ $DRY_RUN == false ]] && kubectl -n "$NAMESPACE" get secret "$1" >/dev/null 2>&1
}

# Secret from worker-N.env: the file path goes on the command line, the values only through the pipe.
k8s_key_secret() {
  local n=$1 name="$NAME_PREFIX-worker-$1-keys" file
  file=$(env_file "$n")
  if [[ ! -f $file ]] && k8s_secret_exists "$name"; then
    echo "worker $n: no $file; keeping the existing secret $name"
    return 0
  fi
  check_worker_file "$n" open
  echo "+ kubectl -n $NAMESPACE create secret generic $name --from-env-file=$(printf '%q' "$file") --dry-run=client -o yaml | kubectl apply -f -"
  [[ $DRY_RUN == false ]] || return 0
  kubectl -n "$NAMESPACE" create secret generic "$name" --from-env-file="$file" --dry-run=client -o yaml \
    | kubectl apply -f - >/dev/null
  echo "secret/$name configured"
}

# Secret scanner-db (url, user, password), created once: the bundled PostgreSQL keeps the password it
# was initialised with, so an existing secret is never replaced. The password travels in a file.
k8s_db_secret() {
  local name=$NAME_PREFIX-db url user pwfile
  if k8s_secret_exists "$name"; then
    echo "secret/$name exists: kept"
    return 0
  fi
  if k8s_external_db; then
    url=$SCANNER_DB_URL
    user=${SCANNER_DB_USER:-}
    [[ -n $user ]] || fail "SCANNER_DB_URL is set: set SCANNER_DB_USER and SCANNER_DB_PASSWORD_FILE too (the secret $name is made from them)"
    [[ -n ${SCANNER_DB_PASSWORD_FILE:-} && -r ${SCANNER_DB_PASSWORD_FILE:-} ]] \
      || fail "SCANNER_DB_PASSWORD_FILE must name a readable file holding the database password"
  else
    url="jdbc:postgresql://$NAME_PREFIX-postgres:5432/scanner"
    user=scanner
  fi
  echo "+ kubectl -n $NAMESPACE create secret generic $name --from-literal=url=$url --from-literal=user=$user" \
    "--from-file=password=<$(if k8s_external_db; then echo "$SCANNER_DB_PASSWORD_FILE"; else echo "a new random password"; fi)>" \
    "--dry-run=client -o yaml | kubectl apply -f -"
  [[ $DRY_RUN == false ]] || return 0
  pwfile=$(mktemp)
  if k8s_external_db; then
    tr -d '\n' <"$SCANNER_DB_PASSWORD_FILE" >"$pwfile"
  else
    head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$pwfile"
  fi
  kubectl -n "$NAMESPACE" create secret generic "$name" --from-literal=url="$url" --from-literal=user="$user" \
    --from-file=password="$pwfile" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  rm -f "$pwfile"
  echo "secret/$name configured"
}

k8s_deploy() {
  local n
  render_k8s
  require_kubectl
  for ((n = 1; n <= WORKERS; n++)); do k8s_key_secret "$n"; done
  k8s_db_secret
  run kubectl -n "$NAMESPACE" apply -f "$(k8s_manifests)"
  if ! k8s_external_db; then
    run kubectl -n "$NAMESPACE" rollout status "statefulset/$NAME_PREFIX-postgres" --timeout=10m
  fi
  for ((n = 1; n <= WORKERS; n++)); do
    run kubectl -n "$NAMESPACE" rollout status "deployment/$NAME_PREFIX-worker-$n" --timeout=15m
  done
  if [[ $DRY_RUN == false ]]; then
    echo "API: kubectl -n $NAMESPACE port-forward service/$NAME_PREFIX-http 8080:8080, then http://127.0.0.1:8080"
  fi
}

# By label, so that workers left out of a later --workers are removed too.
k8s_down() {
  require_kubectl
  run kubectl -n "$NAMESPACE" delete --ignore-not-found \
    deployments,horizontalpodautoscalers,statefulsets,services,networkpolicies,poddisruptionbudgets -l "$K8S_SELECTOR"
  echo "kept: the database volume (kubectl -n $NAMESPACE delete pvc -l app.kubernetes.io/component=database)" \
    "and the secrets (kubectl -n $NAMESPACE delete secret $NAME_PREFIX-db $(for ((n = 1; n <= WORKERS; n++)); do printf '%s-worker-%s-keys ' "$NAME_PREFIX" "$n"; done))"
}

k8s_status() {
  require_kubectl
  run kubectl -n "$NAMESPACE" get deployments,horizontalpodautoscalers,statefulsets,pods,services -l "$K8S_SELECTOR" -o wide
}
# ---------------------------------------------------------------------------------------------
# cloudrun

require_gcloud() {
  [[ $DRY_RUN == true ]] || command -v gcloud >/dev/null 2>&1 || fail "gcloud is not on the PATH"
}

cloudrun_secrets() {
  local n=$1 k pairs=()
  for ((k = 0; k < KEYS_PER_WORKER; k++)); do
    if ((k == 0)); then
      pairs+=("OPENAI_API_KEY=scanner-worker-$n-key-0:latest")
    else
      pairs+=("OPENAI_API_KEY_$k=scanner-worker-$n-key-$k:latest")
    fi
  done
  pairs+=("SCANNER_API_TOKENS=scanner-api-tokens:latest" "SCANNER_ADMIN_TOKENS=scanner-admin-tokens:latest")
  if [[ -n $DB_URL_SECRET ]]; then
    pairs+=("SCANNER_DB_URL=$DB_URL_SECRET:latest" "SCANNER_DB_PASSWORD=$DB_PASSWORD_SECRET:latest")
  fi
  local IFS=,
  echo "${pairs[*]}"
}

cloudrun_deploy() {
  local n
  require_gcloud
  local env_vars="HTTP_HOST=0.0.0.0,CLUSTER_MIN_SIZE=1"
  echo "$CLOUDRUN_NO_CLUSTER"
  if [[ -n $DB_URL_SECRET ]]; then
    env_vars+=",SCANNER_DB_USER=$DB_USER"
    echo "$CLOUDRUN_SHARED_DB"
  fi
  cat <<EOF
Keys come from Secret Manager: secrets scanner-worker-N-key-0 .. -$((KEYS_PER_WORKER - 1)), plus scanner-api-tokens
and scanner-admin-tokens (the HTTP API is public and protected by those tokens). Create each one
without putting the value on a command line, e.g.:
  read -rs KEY && printf %s "\$KEY" | gcloud secrets create scanner-worker-1-key-0 --project $PROJECT --data-file=-
and grant the services' runtime service account roles/secretmanager.secretAccessor.
EOF
  if [[ -n $DB_URL_SECRET ]]; then
    cat <<EOF
The database: secrets $DB_URL_SECRET (e.g. jdbc:postgresql://10.0.0.5:5432/scanner, the server's
private IP reached through Direct VPC egress or a connector; no password in the URL) and
$DB_PASSWORD_SECRET (user $DB_USER's password).
EOF
  fi
  for ((n = 1; n <= WORKERS; n++)); do
    # no-cpu-throttling: scans keep running after the 202 answer, outside any request
    run gcloud run deploy "scanner-worker-$n" \
      --project "$PROJECT" --region "$REGION" --image "$IMAGE" \
      --port 8080 --cpu 2 --memory 2Gi --timeout 3600 --no-cpu-throttling \
      --min-instances "$MIN_INSTANCES" --max-instances "$MAX_INSTANCES" \
      --allow-unauthenticated \
      --set-env-vars "$env_vars" \
      --set-secrets "$(cloudrun_secrets "$n")" \
      --args serve,--no-cluster \
      --quiet
  done
}

cloudrun_down() {
  local n
  require_gcloud
  for ((n = 1; n <= WORKERS; n++)); do
    run gcloud run services delete "scanner-worker-$n" --project "$PROJECT" --region "$REGION" --quiet
  done
}

cloudrun_status() {
  require_gcloud
  run gcloud run services list --project "$PROJECT" --region "$REGION" \
    --filter "metadata.name ~ ^scanner-worker-" --format "table(metadata.name, status.url, status.conditions[0].status)"
}

# ---------------------------------------------------------------------------------------------

TARGET=local
WORKERS=5
ACTION=deploy
DRY_RUN=false
ALLOW_NO_KEYS=false
OUT="$ROOT/target/deploy"
OUT_ARG=""
CONF_DIR="$ROOT/conf/workers"
JAR="$ROOT/target/chatgpt-security-scanner.jar"
IMAGE=""
NAMESPACE=default
PROJECT=""
REGION=""
KEYS_PER_WORKER=4
HTTP_PORT_BASE=8080
CLUSTER_PORT_BASE=5700
MIN_INSTANCES=1
MAX_INSTANCES=1
DB_URL_SECRET=""
DB_PASSWORD_SECRET=scanner-db-password
DB_USER=scanner
STORE=auto
DB_PORT=55432
DB_SETTINGS=()

set_action() {
  [[ $ACTION == deploy ]] || usage_error "--down, --status and --check-keys cannot be combined"
  ACTION=$1
}

while (($# > 0)); do
  opt=$1
  if [[ $opt == --*=* ]]; then
    set -- "${opt%%=*}" "${opt#*=}" "${@:2}"
    opt=$1
  fi
  case "$opt" in
    -h | --help) usage; exit 0 ;;
    --dry-run) DRY_RUN=true; shift; continue ;;
    --down) set_action down; shift; continue ;;
    --status) set_action status; shift; continue ;;
    --check-keys) set_action check-keys; shift; continue ;;
    --allow-no-keys) ALLOW_NO_KEYS=true; shift; continue ;;
    --target | --workers | --out | --conf-dir | --jar | --image | --namespace | --project | --region \
      | --keys-per-worker | --min-instances | --max-instances | --http-port-base | --cluster-port-base \
      | --store | --db-port | --db-url-secret | --db-password-secret | --db-user)
      if (($# < 2)) || [[ -z $2 ]]; then usage_error "$opt needs a value"; fi
      ;;
    *) usage_error "unknown argument '$opt'" ;;
  esac
  value=$2
  case "$opt" in
    --target) TARGET=$value ;;
    --workers) WORKERS=$value ;;
    --out) OUT=$(abspath "$value"); OUT_ARG=" --out $(printf '%q' "$value")" ;;
    --conf-dir) CONF_DIR=$(abspath "$value") ;;
    --jar) JAR=$(abspath "$value") ;;
    --image) IMAGE=$value ;;
    --namespace) NAMESPACE=$value ;;
    --project) PROJECT=$value ;;
    --region) REGION=$value ;;
    --keys-per-worker) KEYS_PER_WORKER=$value ;;
    --http-port-base) HTTP_PORT_BASE=$value ;;
    --cluster-port-base) CLUSTER_PORT_BASE=$value ;;
    --min-instances) MIN_INSTANCES=$value ;;
    --max-instances) MAX_INSTANCES=$value ;;
    --store) STORE=$value ;;
    --db-port) DB_PORT=$value ;;
    --db-url-secret) DB_URL_SECRET=$value ;;
    --db-password-secret) DB_PASSWORD_SECRET=$value ;;
    --db-user) DB_USER=$value ;;
  esac
  shift 2
done

case "$TARGET" in
  local | compose | k8s | cloudrun) ;;
  *) usage_error "--target must be local, compose, k8s or cloudrun, not '$TARGET'" ;;
esac
is_count "$WORKERS" 1 20 || usage_error "--workers must be a number from 1 to 20, not '$WORKERS'"
is_count "$KEYS_PER_WORKER" 1 64 || usage_error "--keys-per-worker must be a number from 1 to 64"
is_count "$MIN_INSTANCES" 0 100 || usage_error "--min-instances must be a number from 0 to 100"
is_count "$MAX_INSTANCES" 1 1000 || usage_error "--max-instances must be a number from 1 to 1000"
((10#$MIN_INSTANCES <= 10#$MAX_INSTANCES)) || usage_error "--min-instances is above --max-instances"
if ((10#$MAX_INSTANCES > 1)) && [[ -z $DB_URL_SECRET ]]; then
  usage_error "--max-instances above 1 needs --db-url-secret: without a shared database a scan lives on the" \
    "instance that took it, and a request routed to another instance answers 404"
fi
for secret in "$DB_URL_SECRET" "$DB_PASSWORD_SECRET"; do
  [[ -z $secret || $secret =~ ^[A-Za-z0-9_-]{1,255}$ ]] || usage_error "'$secret' is not a Secret Manager secret name"
done
[[ $DB_USER =~ ^[A-Za-z_][A-Za-z0-9_.-]{0,62}$ ]] || usage_error "--db-user '$DB_USER' is not a database user name"
is_count "$HTTP_PORT_BASE" 1 65000 || usage_error "--http-port-base must be a port number"
is_count "$CLUSTER_PORT_BASE" 1 65000 || usage_error "--cluster-port-base must be a port number"
is_count "$DB_PORT" 1 65535 || usage_error "--db-port must be a port number"
case "$STORE" in
  auto | postgres | memory) ;;
  *) usage_error "--store must be auto, postgres or memory, not '$STORE'" ;;
esac
if [[ $TARGET == compose ]] && ((10#$WORKERS > COMPOSE_WORKERS)); then
  usage_error "--target compose: $COMPOSE_FILE defines $COMPOSE_WORKERS workers; add services there for more"
fi
WORKERS=$((10#$WORKERS))
HTTP_PORT_BASE=$((10#$HTTP_PORT_BASE))
CLUSTER_PORT_BASE=$((10#$CLUSTER_PORT_BASE))
[[ $NAMESPACE =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || usage_error "--namespace '$NAMESPACE' is not a valid namespace name"
if [[ $TARGET == cloudrun ]]; then
  if [[ $DRY_RUN == false && ( -z $PROJECT || -z $REGION ) ]]; then
    usage_error "--target cloudrun needs --project and --region"
  fi
  PROJECT=${PROJECT:-PROJECT}
  REGION=${REGION:-REGION}
  IMAGE=${IMAGE:-$REGION-docker.pkg.dev/$PROJECT/scanner/$APP_LABEL:latest}
fi
IMAGE=${IMAGE:-$APP_LABEL:latest}
READY_TIMEOUT=${DEPLOY_READY_TIMEOUT:-120}
CLUSTER_TIMEOUT=${DEPLOY_CLUSTER_TIMEOUT:-90}
STOP_TIMEOUT=${DEPLOY_STOP_TIMEOUT:-20}
for t in "$READY_TIMEOUT" "$CLUSTER_TIMEOUT" "$STOP_TIMEOUT"; do
  is_count "$t" 1 86400 || usage_error "DEPLOY_*_TIMEOUT values are seconds (1-86400), not '$t'"
done

if [[ $DRY_RUN == true ]]; then
  echo "# dry run: commands are shown, not run; rendered files are still written"
fi

case "$TARGET:$ACTION" in
  *:check-keys) check_keys ;;
  local:deploy) local_deploy ;;
  local:down) local_down ;;
  local:status) local_status ;;
  compose:deploy) compose_deploy ;;
  compose:down) compose_down ;;
  compose:status) compose_run ps ;;
  k8s:deploy) k8s_deploy ;;
  k8s:down) k8s_down ;;
  k8s:status) k8s_status ;;
  cloudrun:deploy) cloudrun_deploy ;;
  cloudrun:down) cloudrun_down ;;
  cloudrun:status) cloudrun_status ;;
esac
