export { metaRoutes } from './meta.routes.js';
export { MODULES } from './catalog.js';
