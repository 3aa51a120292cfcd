export { facilityRoutes } from './facilities.routes.js';
export { facilityMetrics } from './facilities.metrics.js';
