export { indicatorRoutes } from './indicators.routes.js';
export { registerMetrics, METRIC_CATALOG, type MetricDef } from './metrics.js';
