# The service image used by docker-compose.yml and deploy/. Build: docker build -t mimi-discovery .
# It listens on every interface (port 8080), so it cannot take its issuer from that address: set Authority__Issuer to
# the public base URL (docker run -e Authority__Issuer=https://discovery.example.net ...); start-up stops naming it
# otherwise.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Mimi.Discovery.Server -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# The data directory belongs to the service's user, and its keys/ is owner-only, as the service requires of every
# directory holding keys (a volume mounted there starts with this owner and mode).
RUN mkdir -p /var/lib/mimi/keys && chown -R "$APP_UID:$APP_UID" /var/lib/mimi && chmod 700 /var/lib/mimi /var/lib/mimi/keys
# The numeric id of the image's "app" user, so that Kubernetes can check runAsNonRoot.
USER $APP_UID
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Storage__DataDirectory=/var/lib/mimi
EXPOSE 8080
ENTRYPOINT ["dotnet", "Mimi.Discovery.Server.dll"]
