# The service image used by docker-compose.yml and deploy/. Build: docker build -t mimi-discovery .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Mimi.Discovery.Server -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
USER app
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Storage__DataDirectory=/var/lib/mimi
EXPOSE 8080
ENTRYPOINT ["dotnet", "Mimi.Discovery.Server.dll"]
