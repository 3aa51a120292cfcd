export { elderRoutes } from './elders.routes.js';
export { CATEGORIES, CATEGORY_CODES, type Category } from './categories.js';
export { loadElder, today, ageAt } from './elders.service.js';
export { familyRoutes } from './family.routes.js';
