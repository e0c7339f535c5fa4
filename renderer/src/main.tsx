import '@patternfly/react-core/dist/styles/base.css';
import './styles.css';
import { StrictMode, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/createClient';
import { ClientProvider } from './api/context';
import { NotSignedIn } from './components/NotSignedIn';
import { parseConsoleRoute, type ConsoleRoute } from './components/console/consoleRoute';
import { initI18n } from './i18n';
import { StoreProvider } from './state/context';
import { Notices } from './state/notices';
import { Store } from './state/store';
import { startSync } from './state/sync';
import { followSystemTheme } from './theme';

const client = createClient();
const notices = new Notices();
// A console in its own window (#/console/<host>/<guest>/<kind>) shows only that console. Each
// window loads the code of its own view only, and starts loading it before anything else.
const consoleRoute = parseConsoleRoute(location.hash);
// (One function per import: Vite preloads each import's own chunks, not both views' chunks.)
const loadConsoleWindow = async (route: ConsoleRoute): Promise<ComponentType> => {
  const { ConsoleWindow } = await import('./components/console/ConsoleWindow');
  return () => <ConsoleWindow route={route} />;
};
const loadApp = async (): Promise<ComponentType> => {
  const { App } = await import('./components/App');
  return () => <App notices={notices} />;
};
const view = !client ? null : consoleRoute ? loadConsoleWindow(consoleRoute) : loadApp();

const i18n = initI18n();
document.title = i18n.t('app.name');
followSystemTheme();

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

if (!client || !view) {
  createRoot(root).render(
    <StrictMode>
      <NotSignedIn />
    </StrictMode>,
  );
} else {
  const store = new Store();
  startSync(client, store, { onError: notices.push });
  // Mounted once the view's code is there, not as a lazy view under Suspense: React holds back
  // revealing content that replaced a fallback (by up to 300 ms), and the first render would wait.
  void view.then((View) => {
    createRoot(root).render(
      <StrictMode>
        <ClientProvider client={client}>
          <StoreProvider store={store}>
            <View />
          </StoreProvider>
        </ClientProvider>
      </StrictMode>,
    );
  });
}
