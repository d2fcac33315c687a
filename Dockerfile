# syntax=docker/dockerfile:1.7
# todo-chatbot: one small image. The server is bundled (only the code it runs), on the official Bun image,
# distroless, as a non-root user. `.ci/image-build.sh` runs this file's build stage as written, without an engine, and
# `test/image.test.ts` runs the result.
ARG BUN_VERSION=1.4.5
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No package's install script runs, except Bun's own: it links the binary of the platform package npm already
# installed from the lockfile (@oven/bun-linux-x64 or -aarch64) in place of the placeholder, with no download.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund && node node_modules/bun/install.js
COPY tsconfig.json bunfig.toml ./
COPY src ./src
COPY views ./views
COPY migrations ./migrations
COPY .ci/build.ts .ci/image-layout.sh ./.ci/
# One bundle per entry point (server, migrations), postgres.js fixed as it is bundled; the embedded database stays a
# package, loaded only without DATABASE_URL.
RUN npm run build && sh .ci/image-layout.sh out

FROM oven/bun:${BUN_VERSION}-distroless AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="todo-chatbot" \
      org.opencontainers.image.description="A lean, event-driven todo service with an AI chat agent" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="https://github.com/todo-chatbot/todo-chatbot" \
      org.opencontainers.image.licenses="MIT"
WORKDIR /app
ENV NODE_ENV=production \
    APP_ROOT=/app \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/tmp/data
COPY --from=build /app/out/ ./
USER 65532:65532
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bun", "-e", "const r = await fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`); process.exit(r.ok ? 0 : 1)"]
ENTRYPOINT ["bun", "dist/index.js"]
