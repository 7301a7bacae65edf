# clearsend worker / API / sandbox image. TypeScript runs through tsx (a runtime dependency),
# so there is no build step; the command picks the part: npm run api | worker | migrate | sandbox.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
COPY vendor ./vendor
# The browser console's bundle (npm ci above ran without the sources, so its prepare step skipped it).
RUN npm run --silent build:console
USER node
EXPOSE 3000
CMD ["npm", "run", "api"]
