export { assessmentRoutes } from './assessments.routes.js';
