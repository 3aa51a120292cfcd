export { regionRoutes } from './regions.routes.js';
export { regionsRepo, ancestorCodes } from './regions.repository.js';
export { upsertRegion } from './regions.service.js';
