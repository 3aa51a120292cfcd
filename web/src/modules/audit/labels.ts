/** Chinese (or English) names of the codes the audit log stores. A code without a name shows as
 * itself, so a new action is never hidden; the page puts the code in a tooltip for the admin. */
import type { TFunction } from 'i18next';
import { zh } from './locale';

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export function auditActionLabel(t: TFunction, action: string, entity?: string): string {
  if (entity && has(zh.entityActions, entity) && has(zh.entityActions[entity as keyof typeof zh.entityActions], action))
    return t(`audit.entityActions.${entity}.${action}`);
  if (has(zh.actions, action)) return t(`audit.actions.${action}`);
  // Elder events: `event:death` …
  const event = /^event:(\w+)$/.exec(action);
  if (event) return t('audit.eventPrefix') + (has(zh.events, event[1]) ? t(`audit.events.${event[1]}`) : event[1]);
  // The safety net records a write that logged nothing itself as `<METHOD> <url>`.
  const method = /^(POST|PUT|PATCH|DELETE) /.exec(action);
  if (method) return t(`audit.methods.${method[1]}`);
  return action;
}

export function auditEntityLabel(t: TFunction, entity: string): string {
  return has(zh.entities, entity) ? t(`audit.entities.${entity}`) : entity;
}
