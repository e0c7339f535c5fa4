import '@patternfly/react-core/dist/styles/base.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/createClient';
import { ClientProvider } from './api/context';
import { App } from './components/App';
import { NotSignedIn } from './components/NotSignedIn';
import { ConsoleWindow } from './components/console/ConsoleWindow';
import { parseConsoleRoute } from './components/console/consoleRoute';
import { initI18n } from './i18n';
import { StoreProvider } from './state/context';
import { Notices } from './state/notices';
import { Store } from './state/store';
import { startSync } from './state/sync';
import { followSystemTheme } from './theme';

const i18n = initI18n();
document.title = i18n.t('app.name');
followSystemTheme();

const client = createClient();
const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

if (!client) {
  createRoot(root).render(
    <StrictMode>
      <NotSignedIn />
    </StrictMode>,
  );
} else {
  const store = new Store();
  const notices = new Notices();
  startSync(client, store, { onError: notices.push });
  // A console in its own window (#/console/<host>/<guest>/<kind>) shows only that console.
  const consoleRoute = parseConsoleRoute(location.hash);
  createRoot(root).render(
    <StrictMode>
      <ClientProvider client={client}>
        <StoreProvider store={store}>
          {consoleRoute ? <ConsoleWindow route={consoleRoute} /> : <App notices={notices} />}
        </StoreProvider>
      </ClientProvider>
    </StrictMode>,
  );
}
