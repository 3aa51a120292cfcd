import type { FastifyInstance } from 'fastify';
import { bedRoutes } from './beds.routes.js';
import { catalogRoutes } from './catalog.routes.js';
import { complaintRoutes } from './complaints.routes.js';
import { orderRoutes } from './orders.routes.js';
import { settlementRoutes } from './settlement.routes.js';

export function serviceRoutes(app: FastifyInstance) {
  catalogRoutes(app);
  orderRoutes(app);
  complaintRoutes(app);
  settlementRoutes(app);
  bedRoutes(app);
}

export { bedMetrics } from './beds.routes.js';
export { ORDER_FROM, ORDER_SELECT } from './orders.service.js';
