#!/usr/bin/env bash
# Deploys N chatgpt-security-scanner workers (reference setup: 5 workers x 4 keys) on this machine,
# with docker compose, on Kubernetes or on Cloud Run. Run with --help for the options.
#
# Each worker's keys live in conf/workers/worker-N.env (git-ignored; copy the .example next to it).
# The script never prints a key: commands it shows carry the alias key-0, key-1, ... instead.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROG="${0##*/}"
APP_LABEL="chatgpt-security-scanner"
CLOUDRUN_NO_CLUSTER="Cloud Run services cannot accept instance-to-instance connections, so these workers do not form a cluster and sharding is off."

# Variables an env file may carry whose values are safe to show in --dry-run output.
PUBLIC_VARS=" OPENAI_BASE_URL OPENAI_MODEL OPENAI_AUTH_STYLE OPENAI_CONTEXT_TOKENS SCANNER_ALLOW_NO_AUTH SCANNER_LOG_FORMAT SCANNER_LOG_LEVEL "

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
  --dry-run              print every command and write the generated files, run nothing
                         (keys are shown as key-0, key-1, ..., never their values)

Options:
  --target T             local (default), compose, k8s or cloudrun
  --workers N            number of workers, 1-20 (default 5)
  --out DIR              where generated files, pids and logs go (default target/deploy)
  --conf-dir DIR         where worker-N.env files are (default conf/workers)
  --jar PATH             local: the jar to run (default target/chatgpt-security-scanner.jar)
  --http-port-base P     local: worker N listens on HTTP port P+N (default 8080)
  --cluster-port-base P  local: worker N's Hazelcast port is P+N (default 5700)
  --allow-no-keys        local: start a worker whose worker-N.env is missing, with no key
                         (local checks only) instead of refusing
  --image NAME           compose/k8s/cloudrun: image (default chatgpt-security-scanner:latest;
                         cloudrun: REGION-docker.pkg.dev/PROJECT/scanner/chatgpt-security-scanner:latest)
  --namespace NS         k8s: namespace (default default)
  --project ID           cloudrun: Google Cloud project (required unless --dry-run)
  --region R             cloudrun: region (required unless --dry-run)
  --keys-per-worker K    cloudrun: secrets mounted per worker (default 4)
  --min-instances N      cloudrun: per service (default 1)
  --max-instances N      cloudrun: per service (default 1; see the warning printed above 1)
  -h, --help             this text

Targets:
  local     worker N on 127.0.0.1, HTTP port 8080+N, Hazelcast port 5700+N (so 8081-8085 and
            5701-5705 for five workers); pids and logs in
            <out>/local/worker-N.{pid,log}. Starts worker 1, waits for /health/ready, then the
            others one by one, then waits until GET /api/v1/cluster lists N members.
  compose   writes <out>/compose/docker-compose.yml (HTTP on 127.0.0.1:8081..) and runs
            docker compose up -d.
  k8s       writes <out>/k8s/*.yaml (headless Service, StatefulSet, HTTP Service, NetworkPolicy,
            PodDisruptionBudget), creates Secret scanner-worker-N-keys from worker-N.env, applies.
  cloudrun  runs gcloud run deploy for N unclustered services, keys from Secret Manager.

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

# Relative path from directory $1 to $2, so a generated file keeps working when the tree moves.
relpath() {
  if realpath -m --relative-to=/ / >/dev/null 2>&1; then
    realpath -m --relative-to="$1" "$2"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import os, sys; print(os.path.relpath(sys.argv[2], sys.argv[1]))' "$1" "$2"
  else
    printf '%s\n' "$2"
  fi
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
  elif [[ $PUBLIC_VARS == *" $name "* ]]; then
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
  trap 'echo "interrupted: stopping the workers this run started" >&2; stop_local_workers "${STARTED[@]}"; exit 130' INT TERM
  for ((n = 1; n <= WORKERS; n++)); do
    load_worker_env "$n"
    start_local_worker "$n"
    if ! wait_local_ready "$n"; then
      echo "stopping the workers this run started" >&2
      stop_local_workers "${STARTED[@]}"
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
  return "$all_ok"
}

local_down() {
  local numbers
  numbers=$(local_worker_numbers)
  if [[ -z $numbers ]]; then
    echo "no local workers to stop (no pid files in $(local_dir))"
    return 0
  fi
  # shellcheck disable=SC2086 # one number per word
  stop_local_workers $numbers
  echo "local workers stopped"
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
  local n i name file base style header code failures=0
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
    base=$(env_value OPENAI_BASE_URL || true)
    base=${base:-https://api.openai.com/v1}
    base=${base%/}
    style=$(env_value OPENAI_AUTH_STYLE || true)
    for i in "${!ENV_NAMES[@]}"; do
      name=${ENV_NAMES[$i]}
      if ! is_key_var "$name" || [[ -z ${ENV_VALUES[$i]} ]]; then continue; fi
      if [[ $DRY_RUN == true ]]; then
        echo "+ curl -s -o /dev/null -w '%{http_code}' -K - $base/models  # worker-$n $(key_alias "$name"), header on stdin"
        continue
      fi
      if [[ $style == api-key ]]; then header="api-key: ${ENV_VALUES[$i]}"; else header="Authorization: Bearer ${ENV_VALUES[$i]}"; fi
      code=$(printf 'header = "%s"\n' "$header" \
        | curl -s -o /dev/null -w '%{http_code}' --max-time 20 -K - "$base/models" 2>/dev/null || true)
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
# compose

compose_file() { printf '%s/compose/docker-compose.yml\n' "$OUT"; }

service_members() {
  local n members=()
  for ((n = 1; n <= WORKERS; n++)); do members+=("worker-$n:5701"); done
  local IFS=,
  echo "${members[*]}"
}

write_compose() {
  local file dir n members
  file=$(compose_file)
  dir=${file%/*}
  mkdir -p "$dir"
  members=$(service_members)
  {
    cat <<EOF
# Generated by $PROG --target compose --workers $WORKERS; regenerate instead of editing.
#
# Every worker runs the same image; each reads its own keys (and the shared API tokens) from its
# env_file. Hazelcast (5701) and the Vert.x event bus stay on the private network "scanner": only
# the HTTP ports are published, on 127.0.0.1 (drop "127.0.0.1:" to expose them on the network).
#
# CLUSTER_HOST is the service's own name, not 0.0.0.0: the service hands CLUSTER_HOST to Hazelcast
# as its local address and to the event bus as its bind host, and the container's name resolves to
# its address on "scanner", which is both bindable and reachable by the peers. CLUSTER_PUBLIC_HOST
# is the same name, the address the peers are told to use.
name: $APP_LABEL
services:
EOF
    for ((n = 1; n <= WORKERS; n++)); do
      cat <<EOF
  worker-$n:
    image: "$IMAGE"
    hostname: worker-$n
    command: ["serve"]
    env_file:
      - "$(relpath "$dir" "$(env_file "$n")")"
    environment:
      PORT: "8080"
      HTTP_HOST: "0.0.0.0"
      CLUSTER_HOST: "worker-$n"
      CLUSTER_PUBLIC_HOST: "worker-$n"
      CLUSTER_PORT: "5701"
      CLUSTER_MEMBERS: "$members"
    ports:
      - "127.0.0.1:$(http_port "$n"):8080"
    networks:
      - scanner
    restart: unless-stopped
    # the worker drains for up to 20 s on SIGTERM
    stop_grace_period: 25s
EOF
      if ((n > 1)); then
        cat <<EOF
    depends_on:
      worker-1:
        condition: service_healthy
EOF
      fi
    done
    cat <<EOF
networks:
  scanner:
    driver: bridge
EOF
  } >"$file"
  echo "wrote $file"
}

compose_available() {
  command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1
}

compose_run() {
  local cmd=(docker compose -f "$(compose_file)" "$@")
  if [[ $DRY_RUN == true ]]; then
    show "${cmd[@]}"
  elif compose_available; then
    run "${cmd[@]}"
  else
    echo "docker compose is not available here (docker compose version failed). Run:" >&2
    show "${cmd[@]}" >&2
    exit 1
  fi
}

compose_deploy() {
  check_all_worker_files open
  write_compose
  compose_run up -d
  if [[ $DRY_RUN == false ]]; then
    echo "workers: $(for ((n = 1; n <= WORKERS; n++)); do printf 'http://127.0.0.1:%s ' "$(http_port "$n")"; done)"
  fi
}

# ---------------------------------------------------------------------------------------------
# k8s

k8s_dir() { printf '%s/k8s\n' "$OUT"; }

headless_dns() {
  printf 'scanner-hz.%s.svc.cluster.local\n' "$NAMESPACE"
}

write_k8s_services() {
  cat <<EOF
# Generated by $PROG --target k8s; regenerate instead of editing.
# Headless: its DNS name, $(headless_dns), resolves to every pod of the StatefulSet, which is how
# the members find each other (Hazelcast's Kubernetes discovery, DNS lookup mode). publishNotReadyAddresses:
# a pod is not ready before it has joined, and it must be resolvable to join.
apiVersion: v1
kind: Service
metadata:
  name: scanner-hz
  namespace: $NAMESPACE
  labels:
    app: $APP_LABEL
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    app: $APP_LABEL
  ports:
    - name: hazelcast
      port: 5701
      targetPort: 5701
    - name: eventbus
      port: 5801
      targetPort: 5801
    - name: http
      port: 8080
      targetPort: 8080
---
# The API for clients. Any worker answers for any scan, so plain load balancing is right.
apiVersion: v1
kind: Service
metadata:
  name: scanner-http
  namespace: $NAMESPACE
  labels:
    app: $APP_LABEL
spec:
  selector:
    app: $APP_LABEL
  ports:
    - name: http
      port: 8080
      targetPort: http
EOF
}

# Picks this pod's secret by ordinal: one pod template serves every worker, so all worker secrets are
# mounted and scanner-N reads /secrets/worker-(N+1). "$$(" keeps Kubernetes from expanding "$(".
K8S_ENTRYPOINT=$(cat <<'EOF'
set -eu
ordinal="${POD_NAME##*-}"
worker=$$((ordinal + 1))
dir="/secrets/worker-$worker"
if [ ! -d "$dir" ]; then
  echo "no secret mounted for worker $worker at $dir (Secret scanner-worker-$worker-keys)" >&2
  exit 2
fi
for file in "$dir"/*; do
  [ -f "$file" ] || continue
  name="${file##*/}"
  case "$name" in
    ''|[0-9]*|*[!A-Za-z0-9_]*) continue ;;
  esac
  export "$name=$$(cat "$file")"
done
exec java -XX:MaxRAMPercentage=75 -XX:ThreadPriorityPolicy=1 -jar /app/chatgpt-security-scanner.jar "$@"
EOF
)

write_k8s_statefulset() {
  local n
  cat <<EOF
# Generated by $PROG --target k8s; regenerate instead of editing.
#
# One worker per pod, scanner-0 .. scanner-$((WORKERS - 1)). The members find each other through
# Hazelcast's built-in Kubernetes discovery in DNS lookup mode (CLUSTER_KUBERNETES_SERVICE_DNS names the
# headless Service): no API access, so no RBAC. Hazelcast listens on 5701, the Vert.x event bus on 5801.
#
# Keys: Secret scanner-worker-N-keys holds worker N's worker-N.env entries; the entrypoint below
# exports the secret of this pod's ordinal. Every pod mounts every worker's secret (one template),
# so a pod can read its siblings' keys: keep them in one namespace of one trust level.
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: scanner
  namespace: $NAMESPACE
  labels:
    app: $APP_LABEL
spec:
  serviceName: scanner-hz
  replicas: $WORKERS
  podManagementPolicy: OrderedReady
  selector:
    matchLabels:
      app: $APP_LABEL
  template:
    metadata:
      labels:
        app: $APP_LABEL
    spec:
      terminationGracePeriodSeconds: 30
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: scanner
          image: "$IMAGE"
          command:
            - sh
            - -c
            - |
              ${K8S_ENTRYPOINT//$'\n'/$'\n'              }
            - scanner-entrypoint
          args: ["serve"]
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: POD_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
            - name: PORT
              value: "8080"
            - name: HTTP_HOST
              value: "0.0.0.0"
            # bind on the pod's own address, which is also what the peers discover
            - name: CLUSTER_HOST
              value: "\$(POD_IP)"
            - name: CLUSTER_PORT
              value: "5701"
            - name: CLUSTER_EVENTBUS_PORT
              value: "5801"
            - name: CLUSTER_KUBERNETES_SERVICE_DNS
              value: "$(headless_dns)"
          ports:
            - name: http
              containerPort: 8080
            - name: hazelcast
              containerPort: 5701
            - name: eventbus
              containerPort: 5801
          startupProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: 5
            failureThreshold: 30
          livenessProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: 10
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /health/ready
              port: http
            periodSeconds: 5
            failureThreshold: 3
          resources:
            requests:
              cpu: 500m
              memory: 1Gi
            limits:
              memory: 2Gi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          volumeMounts:
            # uploads, clones and scan workspaces
            - name: tmp
              mountPath: /tmp
EOF
  for ((n = 1; n <= WORKERS; n++)); do
    cat <<EOF
            - name: worker-$n-keys
              mountPath: /secrets/worker-$n
              readOnly: true
EOF
  done
  cat <<EOF
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 4Gi
EOF
  for ((n = 1; n <= WORKERS; n++)); do
    cat <<EOF
        - name: worker-$n-keys
          secret:
            secretName: scanner-worker-$n-keys
            defaultMode: 0440
EOF
  done
}

write_k8s_policies() {
  cat <<EOF
# Generated by $PROG --target k8s; regenerate instead of editing.
#
# Open-source Hazelcast has no member authentication: only scanner pods may reach the cluster ports
# (Hazelcast 5701, Vert.x event bus 5801).
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: scanner
  namespace: $NAMESPACE
  labels:
    app: $APP_LABEL
spec:
  podSelector:
    matchLabels:
      app: $APP_LABEL
  policyTypes:
    - Ingress
  ingress:
    # peers: Hazelcast and the event bus
    - from:
        - podSelector:
            matchLabels:
              app: $APP_LABEL
      ports:
        - protocol: TCP
          port: 5701
        - protocol: TCP
          port: 5801
    # clients: the HTTP API, from any pod of this namespace
    - from:
        - podSelector: {}
      ports:
        - protocol: TCP
          port: 8080
---
# Members hold in-memory scan state with one backup: losing two at once can lose scans.
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: scanner
  namespace: $NAMESPACE
  labels:
    app: $APP_LABEL
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: $APP_LABEL
EOF
}

write_k8s_secret_placeholders() {
  local n
  echo "# Placeholders only; not applied by $PROG, which creates these Secrets from conf/workers/worker-N.env."
  echo "# Fill in and apply by hand, or create them with any secret tooling, under the same names."
  for ((n = 1; n <= WORKERS; n++)); do
    cat <<EOF
---
apiVersion: v1
kind: Secret
metadata:
  name: scanner-worker-$n-keys
  namespace: $NAMESPACE
  labels:
    app: $APP_LABEL
type: Opaque
stringData:
  OPENAI_API_KEY: sk-replace-me-worker-$n-key-0
  OPENAI_API_KEY_1: sk-replace-me-worker-$n-key-1
  OPENAI_API_KEY_2: sk-replace-me-worker-$n-key-2
  OPENAI_API_KEY_3: sk-replace-me-worker-$n-key-3
  # the same tokens in every worker's secret
  SCANNER_API_TOKENS: replace-me-with-a-long-random-token
  SCANNER_ADMIN_TOKENS: replace-me-with-another-long-random-token
EOF
  done
}

write_k8s() {
  local dir
  dir=$(k8s_dir)
  mkdir -p "$dir/secrets"
  rm -f "$dir"/*.yaml
  write_k8s_services >"$dir/10-services.yaml"
  write_k8s_statefulset >"$dir/20-statefulset.yaml"
  write_k8s_policies >"$dir/30-network-policy.yaml"
  # in a subdirectory so that "kubectl apply -f $dir" never overwrites real keys with placeholders
  write_k8s_secret_placeholders >"$dir/secrets/worker-secrets.example.yaml"
  echo "wrote $dir/10-services.yaml, 20-statefulset.yaml, 30-network-policy.yaml, secrets/worker-secrets.example.yaml"
}

require_kubectl() {
  if [[ $DRY_RUN == true ]] || command -v kubectl >/dev/null 2>&1; then return 0; fi
  echo "kubectl is not on the PATH: nothing was applied. Run:" >&2
  show kubectl apply -f "$(k8s_dir)" >&2
  exit 1
}

# Secret from worker-N.env: the file path goes on the command line, the values only through the pipe.
k8s_secret_from_file() {
  local n=$1 name="scanner-worker-$1-keys" file
  file=$(env_file "$n")
  echo "+ kubectl -n $NAMESPACE create secret generic $name --from-env-file=$(printf '%q' "$file") --dry-run=client -o yaml | kubectl apply -f -"
  [[ $DRY_RUN == false ]] || return 0
  kubectl -n "$NAMESPACE" create secret generic "$name" --from-env-file="$file" --dry-run=client -o yaml \
    | kubectl apply -f - >/dev/null
  echo "secret/$name configured"
}

k8s_deploy() {
  local n
  write_k8s
  require_kubectl
  for ((n = 1; n <= WORKERS; n++)); do
    if [[ ! -f $(env_file "$n") && $DRY_RUN == false ]] \
        && kubectl -n "$NAMESPACE" get secret "scanner-worker-$n-keys" >/dev/null 2>&1; then
      echo "worker $n: no $(env_file "$n"); keeping the existing secret scanner-worker-$n-keys"
      continue
    fi
    check_worker_file "$n" open
    k8s_secret_from_file "$n"
  done
  run kubectl apply -f "$(k8s_dir)"
  run kubectl -n "$NAMESPACE" rollout status statefulset/scanner --timeout=15m
  if [[ $DRY_RUN == false ]]; then
    echo "API: kubectl -n $NAMESPACE port-forward service/scanner-http 8080:8080, then http://127.0.0.1:8080"
  fi
}

k8s_down() {
  write_k8s >/dev/null
  require_kubectl
  run kubectl delete --ignore-not-found -f "$(k8s_dir)"
  echo "the key secrets are kept; remove them with: kubectl -n $NAMESPACE delete secret $(for ((n = 1; n <= WORKERS; n++)); do printf 'scanner-worker-%s-keys ' "$n"; done)"
}

k8s_status() {
  require_kubectl
  run kubectl -n "$NAMESPACE" get statefulset,pods,services -l "app=$APP_LABEL" -o wide
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
  local IFS=,
  echo "${pairs[*]}"
}

cloudrun_deploy() {
  local n
  require_gcloud
  echo "$CLOUDRUN_NO_CLUSTER"
  if ((MAX_INSTANCES > 1)); then
    warn "--max-instances $MAX_INSTANCES: a scan lives in the memory of the instance that took it, so a" \
      "status, findings or SSE request routed to another instance of the same service answers 404"
  fi
  cat <<EOF
Keys come from Secret Manager: secrets scanner-worker-N-key-0 .. -$((KEYS_PER_WORKER - 1)), plus scanner-api-tokens
and scanner-admin-tokens (the HTTP API is public and protected by those tokens). Create each one
without putting the value on a command line, e.g.:
  read -rs KEY && printf %s "\$KEY" | gcloud secrets create scanner-worker-1-key-0 --project $PROJECT --data-file=-
and grant the services' runtime service account roles/secretmanager.secretAccessor.
EOF
  for ((n = 1; n <= WORKERS; n++)); do
    # no-cpu-throttling: scans keep running after the 202 answer, outside any request
    run gcloud run deploy "scanner-worker-$n" \
      --project "$PROJECT" --region "$REGION" --image "$IMAGE" \
      --port 8080 --cpu 2 --memory 2Gi --timeout 3600 --no-cpu-throttling \
      --min-instances "$MIN_INSTANCES" --max-instances "$MAX_INSTANCES" \
      --allow-unauthenticated \
      --set-env-vars "HTTP_HOST=0.0.0.0,CLUSTER_MIN_SIZE=1" \
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
      | --keys-per-worker | --min-instances | --max-instances | --http-port-base | --cluster-port-base)
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
is_count "$HTTP_PORT_BASE" 1 65000 || usage_error "--http-port-base must be a port number"
is_count "$CLUSTER_PORT_BASE" 1 65000 || usage_error "--cluster-port-base must be a port number"
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
  echo "# dry run: commands are shown, not run; generated files are still written"
fi

case "$TARGET:$ACTION" in
  *:check-keys) check_keys ;;
  local:deploy) local_deploy ;;
  local:down) local_down ;;
  local:status) local_status ;;
  compose:deploy) compose_deploy ;;
  compose:down) write_compose >/dev/null; compose_run down ;;
  compose:status) write_compose >/dev/null; compose_run ps ;;
  k8s:deploy) k8s_deploy ;;
  k8s:down) k8s_down ;;
  k8s:status) k8s_status ;;
  cloudrun:deploy) cloudrun_deploy ;;
  cloudrun:down) cloudrun_down ;;
  cloudrun:status) cloudrun_status ;;
esac
