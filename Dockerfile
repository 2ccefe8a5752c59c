# The hub image: api and workers share it; the command decides which runs.
FROM node:20.20.2-bookworm-slim AS console
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --engine-strict --no-audit --no-fund
COPY src ./src
RUN npm run build:console

FROM node:20.20.2-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --engine-strict --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY --from=console /app/src/console/dist ./src/console/dist
COPY connectors ./connectors
COPY mappings ./mappings
COPY examples ./examples
# The simulated demo org reuses the test suite's fake Salesforce org.
COPY tests/fakes ./tests/fakes
USER node
CMD ["node", "bin/crosswalk.js", "start"]
