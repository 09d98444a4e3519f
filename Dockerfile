# One image for every application process (API nodes, load balancer, gateway, saga worker, relay
# worker, read service, migrations); docker-compose.yml picks the npm script per service.
#
# The code runs as TypeScript through tsx (there is no compiled output: tsconfig has noEmit), and
# tsx is a devDependency, so the install keeps dev dependencies (`--include=dev`; NODE_ENV=production
# alone would make `npm ci` drop them). Moving tsx and patch-package (postinstall) to dependencies
# would allow `--omit=dev` later.
FROM node:20-bookworm-slim

WORKDIR /app

# Dependencies first, so a code-only change reuses this layer. The Temporal SDK's native bridge
# ships prebuilt glibc binaries (linux x64/arm64), so no compiler is needed on bookworm. The
# postinstall step applies patches/ (patch-package) to the installed dependencies.
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --include=dev --no-audit --no-fund && npm cache clean --force

# Source owned by root and only readable by the runtime user: the processes cannot rewrite it.
COPY . .

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false

# The official image's unprivileged user (uid 1000).
USER node

# docker-compose.yml overrides this per service.
CMD ["npm", "run", "api"]
