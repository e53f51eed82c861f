# syntax=docker/dockerfile:1
# Image of one scanner worker, built from a clean checkout, with the repository root as context:
#
#   docker build -t chatgpt-security-scanner .
#
# The first stage builds the jar with Maven (dependencies come from Maven Central; BuildKit's cache
# mount keeps them between builds), the second is the runtime. .dockerignore sends only pom.xml,
# src/main and two files of conf/ to the build, above all never conf/workers/*.env, which hold keys.
#
# Run one worker (keys come from the environment, never from the image):
#
#   docker run --rm -p 8080:8080 --env-file conf/workers/worker-1.env chatgpt-security-scanner serve --no-cluster
#
# HTTP_HOST is 0.0.0.0 here so the port can be published, and a worker refuses to listen on a
# non-loopback address without authentication: set SCANNER_API_TOKENS (and SCANNER_ADMIN_TOKENS),
# or SCANNER_ALLOW_NO_AUTH=true if something in front of it already authenticates.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src/main ./src/main
# maven.test.skip: no test is compiled or run here (mvn -B verify is the test command).
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -Dmaven.test.skip=true package

FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 scanner \
 && useradd --system --uid 10001 --gid scanner --home-dir /app --no-create-home --shell /usr/sbin/nologin scanner

WORKDIR /app

# Only the two shared files of conf/: cluster.xml (Hazelcast) and config.json (the defaults).
# Per-worker key files must never end up in an image layer. Owned by root: the worker can read its
# code and configuration but not change them.
COPY conf/cluster.xml conf/config.json /app/conf/
COPY --from=build /src/target/chatgpt-security-scanner.jar /app/chatgpt-security-scanner.jar

# The embedded database (scans, findings, triage, review cache) of a worker without SCANNER_DB_URL,
# e.g. serve --no-cluster: a volume, so it outlives the container. Owned by the worker's user; a new
# named volume starts with that ownership.
RUN mkdir /app/data && chown 10001:10001 /app/data
VOLUME /app/data

ENV PORT=8080 \
    HTTP_HOST=0.0.0.0 \
    SCANNER_DATA_DIR=/app/data

# 8080 HTTP API; 5701 Hazelcast; 5801 the Vert.x event bus (CLUSTER_EVENTBUS_PORT, by default
# CLUSTER_PORT + 100). Keep 5701 and 5801 on a private network: the cluster has no member authentication.
EXPOSE 8080 5701 5801

USER 10001:10001

# The base image is Ubuntu: bash is there, curl and wget are not guaranteed, so ask /health/ready
# over bash's /dev/tcp. PORT is read when the check runs, so an overridden port is still probed.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-8080} && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# MaxRAMPercentage sizes the heap from the container's memory limit rather than the host's.
# ThreadPriorityPolicy=1 lets the JVM lower the OS priority of big scans' preparation threads, so small
# scans, answers and HTTP go first on a busy CPU. As a non-root user the JVM prints a one-line warning
# at start (raising priorities would need root; the scanner only lowers them, which works).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:ThreadPriorityPolicy=1", "-jar", "/app/chatgpt-security-scanner.jar"]
CMD ["serve"]
