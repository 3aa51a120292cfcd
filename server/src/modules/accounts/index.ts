export { accountRoutes } from './accounts.routes.js';
export { checkPassword } from './accounts.service.js';
