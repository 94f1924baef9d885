import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/charts/styles.css';
import './app.css';
import { Alert, createTheme, MantineProvider, Modal, Notification } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app.js';

const theme = createTheme({
  primaryColor: 'baton',
  colors: {
    baton: [
      '#e8f1fa',
      '#cfe0f1',
      '#9ec0e3',
      '#6a9ed5',
      '#4181c9',
      '#2a70c2',
      '#1c5d99',
      '#164e82',
      '#104270',
      '#07345c',
    ],
  },
  primaryShade: 6,
  // Whoever asked their system for less motion gets dialogs and drawers without their slide.
  respectReducedMotion: true,
  // Filled buttons and badges pick black or white text, whichever reads better on their colour.
  autoContrast: true,
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } }),
    // A dialog's header is no page banner (a <header> outside any sectioning element is one).
    ModalHeader: Modal.Header.extend({
      defaultProps: { component: 'div' } as Record<`data-${string}`, string>,
    }),
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } },
    }),
    Alert: Alert.extend({ defaultProps: { closeButtonLabel: 'Dismiss' } }),
  },
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
});

const client = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: true, staleTime: 10_000 } },
});

// The client portal (`/p/{token}`) is a page of its own for people without an account: it loads
// its own chunk and never the team's app, session or router (docs/decisions/0011-portal-page-served-by-the-spa.md).
const PortalPage = lazy(() => import('./portal/portal-page.js'));
const portalToken = /^\/p\/([^/]+)\/?$/.exec(window.location.pathname)?.[1];

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <Notifications position="bottom-right" />
      <QueryClientProvider client={client}>
        {portalToken !== undefined ? (
          <Suspense fallback={null}>
            <PortalPage token={decodeURIComponent(portalToken)} />
          </Suspense>
        ) : (
          <BrowserRouter>
            <App />
          </BrowserRouter>
        )}
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
