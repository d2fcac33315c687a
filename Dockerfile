# syntax=docker/dockerfile:1.7
# todo-chatbot: one small image. Production dependencies come from the committed npm lockfile; the runtime
# is the official Bun image, distroless, as a non-root user.
ARG BUN_VERSION=1.4.5
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; then drop what never runs (type declarations, source maps, docs, and the
# TypeScript compiler that a peer dependency drags in).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/typescript node_modules/bun-types node_modules/@types \
 && find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.md' \) -delete

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
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/tmp/data
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json bunfig.toml ./
COPY src ./src
COPY views ./views
COPY migrations ./migrations
USER 65532:65532
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bun", "-e", "const r = await fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`); process.exit(r.ok ? 0 : 1)"]
ENTRYPOINT ["bun", "src/index.ts"]
