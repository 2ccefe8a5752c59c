# The hub image: api and workers share it; the command decides which runs.
FROM node:20.20.2-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --engine-strict --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY connectors ./connectors
COPY mappings ./mappings
COPY examples ./examples
USER node
CMD ["node", "bin/crosswalk.js", "start"]
