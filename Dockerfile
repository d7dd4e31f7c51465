# Builds the single steady binary into a small image.
# docker compose up uses it (see docker-compose.yml).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/steady ./cmd/steady \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/steady /usr/local/bin/steady
COPY --from=build --chown=nonroot:nonroot /out/data /data
# The embedded SQLite default would write ./steady.db; in a container use
# PostgreSQL (docker-compose.yml) or mount a volume at /data and set
# STEADY_DATABASE_URL=/data/steady.db.
WORKDIR /data
ENV STEADY_ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/steady"]
CMD ["serve"]
