# Paperboy in a container: build with the same commands as CI (.ci/run), run the compiled bot as a
# non-root user with the database on a volume. Build: docker build -t paperboy .
# Node's major must match package.json "engines" and CI (test/ops/container.test.ts checks it).

# Build stage: every dependency (better-sqlite3 compiles here when no prebuilt binary is reachable),
# the TypeScript build, then the dev dependencies dropped.
FROM node:20-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

# Run stage: production dependencies, the compiled bot and its migrations; nothing to compile.
FROM node:20-bookworm-slim AS run
ENV NODE_ENV=production \
    DATABASE_PATH=/data/paperboy.db
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY drizzle ./drizzle
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
# Slack's HTTP mode listens here (Socket Mode and Discord need no open port).
EXPOSE 3000
# The running bot writes a heartbeat every minute; `paperboy health` exits 1 when it is stale or a platform is down.
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 CMD ["node", "dist/main.js", "health"]
# npm run start:prod, without npm in between: node is PID 1 and gets SIGTERM itself (a clean stop within 10 s).
CMD ["node", "--max-semi-space-size=4", "dist/main.js", "start"]
