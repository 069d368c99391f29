# syntax=docker/dockerfile:1
# Image of the migration-service service. Build context: the repository root
#   docker build -f deploy/docker/migration-service.Dockerfile -t helios/migration-service .
# Stage 1 builds the module and what it depends on with the committed Maven wrapper;
# stage 2 is a JRE with the executable jar only, run as an unprivileged user.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl migration-service -am package -DskipTests \
    && jar=$(ls migration-service/target/*-exec.jar 2>/dev/null || ls migration-service/target/*.jar | grep -v -e '-plain' -e '-sources' | head -n 1) \
    && cp "$jar" /src/app.jar

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 helios \
    && useradd --system --uid 10001 --gid helios --home-dir /opt/helios --shell /usr/sbin/nologin helios
WORKDIR /opt/helios
COPY --from=build /src/app.jar app.jar
COPY deploy/docker/healthcheck.sh healthcheck.sh
ENV HELIOS_HEALTH_PORT=8083 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
USER 10001:10001
EXPOSE 8083
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=5 CMD ["/opt/helios/healthcheck.sh"]
ENTRYPOINT ["java", "-jar", "/opt/helios/app.jar"]
