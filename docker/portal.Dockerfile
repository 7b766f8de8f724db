# The portal image: the Angular build served by an unprivileged nginx on port 8080, which also
# proxies /api/ to the API service (host name "api", port 3000). Build from the repository root:
#   docker build -f docker/portal.Dockerfile -t account-recovery-portal .
# nginx configuration and its reasons: docker/nginx.conf.

# ---- build: same first layers as docker/api.Dockerfile, so the two images share them ----
FROM node:22-bookworm-slim AS build
WORKDIR /workspace
ENV NX_NO_CLOUD=true \
    NX_DAEMON=false \
    NX_TUI=false \
    NG_CLI_ANALYTICS=false \
    SCARF_ANALYTICS=false \
    CI=true

COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund

COPY nx.json tsconfig.base.json jest.preset.js jest.config.ts eslint.config.mjs ./
COPY libs libs
COPY apps/portal apps/portal
# Production configuration: hashed file names (cached for a year by nginx), budgets enforced.
RUN npx nx build portal --output-style=stream

# ---- runtime: static files and nginx, no Node ----
FROM nginxinc/nginx-unprivileged:1.28-alpine AS runtime
COPY docker/nginx.conf /etc/nginx/nginx.conf
COPY --from=build /workspace/dist/apps/portal/browser /usr/share/nginx/html
# The base image already runs as nginx (uid 101); stated here so nobody has to look it up.
USER 101
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
