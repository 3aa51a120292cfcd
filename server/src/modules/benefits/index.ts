export { benefitRoutes } from './benefits.routes.js';
export { serviceEntitlement } from './entitlement.js';
