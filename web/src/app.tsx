import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './layout.js';
import { AccountPage } from './pages/account.js';
import { AccountsPage } from './pages/accounts.js';
import { AdminPage } from './pages/admin.js';
import { MyCheckpointsPage } from './pages/checkpoints.js';
import { HandoffPage } from './pages/handoff.js';
import { InboxPage } from './pages/inbox.js';
import { PlaybooksPage } from './pages/playbooks.js';
import { SettingsPage } from './pages/settings.js';
import { SignInPage } from './pages/sign-in.js';
import { TimelinePage } from './pages/timeline.js';
import { ErrorNote } from './parts.js';
import { SessionProvider, useSessionQuery } from './session.js';

// The dashboard's charts (recharts) load with its page, not with every other page.
const DashboardPage = lazy(() => import('./pages/dashboard.js'));

export function App() {
  const session = useSessionQuery();
  const location = useLocation();
  if (session.isPending)
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  if (session.isError)
    return (
      <Center h="100vh" p="md">
        <ErrorNote error={session.error} />
      </Center>
    );
  if (!session.data) {
    return (
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route
          path="*"
          element={
            <Navigate
              to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`}
              replace
            />
          }
        />
      </Routes>
    );
  }
  return (
    <SessionProvider session={session.data}>
      <Layout>
        <Routes>
          <Route path="/" element={<InboxPage />} />
          <Route path="/handoffs/:id" element={<HandoffPage />} />
          <Route path="/checkpoints" element={<MyCheckpointsPage />} />
          <Route path="/accounts" element={<AccountsPage />} />
          <Route path="/accounts/:id" element={<AccountPage />} />
          <Route path="/engagements/:id" element={<TimelinePage />} />
          <Route path="/playbooks" element={<PlaybooksPage />} />
          <Route path="/playbooks/:key" element={<PlaybooksPage />} />
          <Route path="/admin" element={<AdminPage />} />
          <Route
            path="/dashboard"
            element={
              <Suspense fallback={<Loader aria-label="Loading the dashboard" />}>
                <DashboardPage />
              </Suspense>
            }
          />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="/sign-in" element={<Navigate to="/" replace />} />
          <Route path="*" element={<ErrorNote error={new Error('There is no such page.')} />} />
        </Routes>
      </Layout>
    </SessionProvider>
  );
}
