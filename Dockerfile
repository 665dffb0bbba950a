# Scheduler node image.
#   docker build -t scheduler .
#   docker run --rm -e ConnectionStrings__Scheduler='Host=...;Username=...;Password=...;Database=...' scheduler migrate
#   docker run -p 8080:8080 -e ConnectionStrings__Scheduler=... -e Quartz__Scheduler__InstanceId=node-1 scheduler
#   docker run --rm scheduler apikey new --role operator --name ops     # then pass the two printed lines as -e
# Verbs: run (default), run --migrate, migrate, validate, apikey, and the operator verbs (status, jobs, history,
# trigger, pause, resume, reset). See README.md for the configuration keys.

# ---- build ------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore first, from the project files alone, so the package layer is reused until a csproj or a
# package version changes. Only the host and the projects it references: tests/ is not in the image.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Scheduler.Host/Scheduler.Host.csproj src/Scheduler.Host/
COPY src/Scheduler.Core/Scheduler.Core.csproj src/Scheduler.Core/
COPY src/Scheduler.Data/Scheduler.Data.csproj src/Scheduler.Data/
COPY src/Scheduler.Jobs/Scheduler.Jobs.csproj src/Scheduler.Jobs/
COPY src/Scheduler.Web/Scheduler.Web.csproj src/Scheduler.Web/
RUN dotnet restore src/Scheduler.Host/Scheduler.Host.csproj

# .editorconfig sets analyzer severities (warnings are errors); sql/*.sql are embedded into Scheduler.Data.
COPY .editorconfig ./
COPY sql/ sql/
COPY src/ src/
RUN dotnet publish src/Scheduler.Host/Scheduler.Host.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# ---- runtime ----------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# Files stay owned by root: the non-root process can read but not modify the application.
COPY --from=build /app .

# Listen on 8080 on all interfaces. ASPNETCORE_HTTP_PORTS (set by the base image) is cleared so Kestrel
# does not log that ASPNETCORE_URLS overrides it. Workstation GC: a node is I/O-bound and several share a host.
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_HTTP_PORTS="" \
    DOTNET_gcServer=0

# Built-in non-root user of the .NET images (app, UID 1654).
USER $APP_UID
EXPOSE 8080

# The image has no curl: `scheduler health` probes GET /health/ready on ASPNETCORE_URLS's port and exits 0 when the node
# is ready. Kubernetes should probe GET /health/live (liveness) and GET /health/ready (readiness) over HTTP instead.
# The start period covers a node waiting for migrations or another node's reconcile (ready 503 meanwhile).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["dotnet", "scheduler.dll", "health", "--timeout", "00:00:04"]

# SIGTERM starts the graceful drain (Scheduler__Shutdown__DrainTimeout + InterruptGrace, 40 s by default);
# give the container a stop timeout longer than that. Exec form: dotnet is PID 1 and receives the signal.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "scheduler.dll"]
CMD ["run"]
