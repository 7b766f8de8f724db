# The API image: the NestJS server (main.js) and the operator's CLI (cli.js) with production
# dependencies only. Build from the repository root:
#   docker build -f docker/api.Dockerfile -t account-recovery-api .
# Run:     docker run --env-file .env account-recovery-api                 (node main.js)
#          PROCESS_ROLE=api (HTTP only), worker (the job workers; health on WORKER_HEALTH_PORT)
#          or all (the default: both in one process)
# Migrate: docker run --env-file .env account-recovery-api node cli.js migrate
# Every variable is described in docs/operations.md.

# ---- build: the whole workspace toolchain, discarded after the build ----
FROM node:22-bookworm-slim AS build
WORKDIR /workspace
ENV NX_NO_CLOUD=true \
    NX_DAEMON=false \
    NX_TUI=false \
    NG_CLI_ANALYTICS=false \
    SCARF_ANALYTICS=false \
    CI=true

# Dependency files first: this layer is rebuilt only when they change. `npm install`, not
# `npm ci`: the lockfile lacks some other-platform optional binaries (see TOOLCHAIN.md).
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund

# Workspace configuration, the shared library and the app itself.
COPY nx.json tsconfig.base.json jest.preset.js jest.config.ts eslint.config.mjs ./
COPY libs libs
COPY apps/api apps/api
# dist/apps/api: main.js, cli.js, assets/mail/** and a generated package.json (+ lockfile).
RUN npx nx build api --output-style=stream

# ---- runtime: Node, the bundle and its production dependencies, nothing else ----
FROM node:22-bookworm-slim AS runtime
# A bounded old generation and two malloc arenas keep the resident set under 200 MB; a
# 16 MB young generation lets a burst's short-lived request objects die young instead of
# being promoted and marked (measured by npm run bench; the same settings as start:prod).
# HOST: the API binds loopback unless told otherwise; in a container it must take
# connections on the container's own interface (only the private network reaches it).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    MALLOC_ARENA_MAX=2 \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=16"
WORKDIR /app

# The generated manifest first, so a code change does not reinstall the dependencies.
# Its lockfile is out of step with it: `npm install --omit=dev` repairs it, `npm ci` would refuse.
COPY --from=build /workspace/dist/apps/api/package.json /workspace/dist/apps/api/package-lock.json ./
RUN SCARF_ANALYTICS=false npm install --omit=dev --no-audit --no-fund \
    && npm cache clean --force

# Code and mail templates (read at run time from assets/ next to main.js). Owned by root:
# the service cannot rewrite its own code.
COPY --from=build /workspace/dist/apps/api/ ./

USER node
EXPOSE 3000
# Liveness only (no dependencies): /api/health/ready is for load balancers and deploy gates.
# A worker (PROCESS_ROLE=worker) serves it on WORKER_HEALTH_PORT instead of PORT.
# The slim image has no curl; Node's fetch does the probe. (No --start-period: the API is up
# in about a second, and dockerfilelint 1.8 rejects that option by mistake.)
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD ["node", "-e", "const e = process.env; const port = e.PROCESS_ROLE === 'worker' ? e.WORKER_HEALTH_PORT || 3001 : e.PORT || 3000; fetch('http://127.0.0.1:' + port + '/api/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrations are a step of their own: `node cli.js migrate` (compose: `run --rm migrate`).
CMD ["node", "main.js"]
