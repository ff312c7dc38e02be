# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
WORKDIR /src
RUN go build \
    -o /out/app ./cmd/app

FROM gcr.io/distroless/static AS runtime
COPY --from=biuld /out/app /app
CMD ["/app", "[bold]serve[/bold]"]
