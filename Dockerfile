# Build and run Ihui. SQLite by default (data in /data); set DB_* or DATABASE_URL for MySQL/MariaDB.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Ihui.Api -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# libmp3lame: the voice sockets encode speech to MP3 in process (from Ubuntu's universe component).
RUN (apt-get update && apt-get install -y --no-install-recommends libmp3lame0 \
     || (sed -i 's/^Components: \(.*\)$/Components: \1 universe/' /etc/apt/sources.list.d/*.sources && apt-get update \
         && apt-get install -y --no-install-recommends libmp3lame0)) && rm -rf /var/lib/apt/lists/*
WORKDIR /data
COPY --from=build /app /app
ENV API_HOST=0.0.0.0 API_PORT=8000 SQLITE_PATH=/data/ihui.db
EXPOSE 8000
ENTRYPOINT ["dotnet", "/app/Ihui.Api.dll"]
