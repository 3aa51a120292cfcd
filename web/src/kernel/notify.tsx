/** Error and success messages from anywhere (query callbacks included), shown through the
 * antd App context in the UI language. `<NotifyBridge />` sits inside antd's <App>. */
import { App } from 'antd';
import { ApiError } from './api';
import i18n, { currentLang } from './i18n';

type AppApi = ReturnType<typeof App.useApp>;
let message: AppApi['message'] | null = null;
let notification: AppApi['notification'] | null = null;

export function NotifyBridge() {
  const app = App.useApp();
  message = app.message;
  notification = app.notification;
  return null;
}

/** The message of an error in the UI language. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.text(currentLang());
  if (err instanceof Error) return err.message;
  return String(err);
}

export function showError(err: unknown) {
  const lang = currentLang();
  if (err instanceof ApiError && err.problems.length && notification) {
    notification.error({
      message: i18n.t('errors.validation'),
      description: (
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {err.problems.map((p, i) => (
            <li key={i}>
              <code>{p.path}</code>：{lang === 'en' ? p.messageEn : p.message}
            </li>
          ))}
        </ul>
      ),
    });
    return;
  }
  if (err instanceof ApiError && err.status === 401) return; // the login page takes over
  message?.error(errorText(err));
}

export function showSuccess(text: string) {
  message?.success(text);
}
