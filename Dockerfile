# syntax=docker/dockerfile:1
# Lojal: one image for the API (default) and the worker (`node --import tsx services/worker/main.ts`).
# The TypeScript sources run through tsx (a runtime dependency), as in every other process; there is no build step.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

# The lock file is written by npm 11 and package.json's `allowScripts` (which install scripts may run) is an
# npm 11 field; the base image ships npm 10, so use the same npm as the build and CI machines.
# package.json's `overrides` pins msgpackr-extract so that `npm ci` accepts the lock file.
COPY package.json package-lock.json ./
RUN npm install --global npm@11.19.1 \
 && npm ci --omit=dev \
 && npm cache clean --force

COPY tsconfig.json ./
COPY bin/ ./bin/
COPY migrations/ ./migrations/
COPY services/ ./services/

# The files stay owned by root (read-only to the app); the processes run as the image's unprivileged `node` user.
USER node

EXPOSE 3000

# Liveness of the API process; the worker's container gets its own check in docker-compose.yml.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "--import", "tsx", "services/api/server.ts"]
