#!/usr/bin/env bash
# Checks of the container setup that need no Docker engine (CI runs this from .ci/run):
#   1. dockerfilelint on docker/api.Dockerfile and docker/portal.Dockerfile
#   2. docker/compose.yaml through Compose v1's `config -q` (Debian's docker-compose)
#   3. node --test tools/image-check/: the API image's build and run steps outside Docker,
#      docker/nginx.conf in a real nginx, compose.yaml as Compose resolves it (roles, profiles,
#      required settings), and the configuration reference kept complete
# Installs docker-compose and nginx with apt-get when they are missing and this runs as root.
set -euo pipefail
cd "$(dirname "$0")/../.."

export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false NG_CLI_ANALYTICS=false SCARF_ANALYTICS=false
DOCKERFILELINT_VERSION=1.8.0

step() { printf '\n==> %s\n' "$*"; }
fail() {
  printf 'image-check: %s\n' "$*" >&2
  exit 1
}

apt_updated=
# apt_install PACKAGE...: only the programs are wanted, so no service may start (policy-rc.d).
apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "cannot install $* (needs root and apt-get)" >&2
    return 1
  fi
  local guard=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    guard=1
  fi
  [ -n "$apt_updated" ] || apt-get update -qq
  apt_updated=1
  local status=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
    status=$?
  [ -z "$guard" ] || rm -f /usr/sbin/policy-rc.d
  return "$status"
}

step "dockerfilelint ${DOCKERFILELINT_VERSION}: docker/api.Dockerfile docker/portal.Dockerfile"
npx --yes "dockerfilelint@${DOCKERFILELINT_VERSION}" docker/api.Dockerfile docker/portal.Dockerfile

step "docker-compose config: docker/compose.yaml with .env.example"
command -v docker-compose >/dev/null || apt_install docker-compose || fail "docker-compose is missing"
docker-compose version --short
# .env.example leaves the secrets, the mail relay and the portal's address empty: Compose must
# refuse it, naming them (tools/image-check/compose.test.mjs checks each one)...
if refused=$(docker-compose --env-file .env.example -f docker/compose.yaml config -q 2>&1); then
  fail "compose accepted a configuration without secrets, SMTP_URL and PORTAL_URL"
fi
grep -Eq 'POSTGRES_PASSWORD|JWT_SECRET|PASSWORD_PEPPER|MFA_ENCRYPTION_KEY|SMTP_URL|PORTAL_URL' <<<"$refused" ||
  fail "unexpected refusal: $refused"
echo "refused without them, as it should: ${refused##*: }"
# ...and accept it once they are set.
POSTGRES_PASSWORD=image-check JWT_SECRET=image-check PASSWORD_PEPPER=image-check \
  MFA_ENCRYPTION_KEY=image-check \
  SMTP_URL=smtps://relay.image-check.test:465 PORTAL_URL=https://accounts.image-check.test \
  docker-compose --env-file .env.example -f docker/compose.yaml config -q
echo "valid"

step "build api and portal (Nx cache)"
npx nx run-many -t build -p api portal --output-style=stream

step "node --test tools/image-check/"
command -v nginx >/dev/null || apt_install nginx ||
  echo "nginx is missing: the nginx.conf test will be skipped" >&2
node --test --test-reporter=spec tools/image-check/

step "image checks passed"
