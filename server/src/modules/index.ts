/** Every module's routes, registered in one place. A new module adds one line here. */
import type { FastifyInstance } from 'fastify';
import { accountRoutes } from './accounts/index.js';
import { assessmentRoutes } from './assessments/index.js';
import { auditRoutes } from './audit/index.js';
import { elderRoutes, familyRoutes } from './elders/index.js';
import { metaRoutes } from './meta/index.js';
import { overviewRoutes } from './overview/index.js';
import { regionRoutes } from './regions/index.js';
import { bedMetrics, serviceRoutes } from './services/index.js';
import { indicatorRoutes, registerMetrics } from './indicators/index.js';
import { benefitRoutes } from './benefits/index.js';
import { elderMetrics } from './elders/elders.metrics.js';
import { assessmentMetrics } from './assessments/assessments.metrics.js';
import { facilityMetrics, facilityRoutes } from './facilities/index.js';

// Each module's metrics, computed next to the data it owns, registered with the indicators module.
registerMetrics([...elderMetrics, ...assessmentMetrics, ...facilityMetrics, ...bedMetrics]);

export async function registerModules(app: FastifyInstance) {
  metaRoutes(app);
  accountRoutes(app);
  regionRoutes(app);
  auditRoutes(app);
  elderRoutes(app);
  familyRoutes(app);
  assessmentRoutes(app);
  overviewRoutes(app);
  indicatorRoutes(app);
  benefitRoutes(app);
  facilityRoutes(app);
  serviceRoutes(app);
}
