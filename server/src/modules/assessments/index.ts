export { assessmentRoutes } from './assessments.routes.js';
export { assessmentsRepo } from './assessments.repository.js';
