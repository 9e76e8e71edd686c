# The emulator as a container: `docker compose up` serves it on port 9229.
FROM rust:1.95-slim AS build
WORKDIR /src
COPY . .
RUN cargo build --release -p cognito-emulator

FROM debian:bookworm-slim
COPY --from=build /src/target/release/cognito-emulator /usr/local/bin/cognito-emulator
EXPOSE 9229
ENTRYPOINT ["cognito-emulator"]
CMD ["serve", "--host", "0.0.0.0", "--port", "9229"]
